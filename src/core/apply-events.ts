// The events the applier emits and the progress display renders (STYLE.md habit 10: the applier decides, ui draws).
export type ApplyEvent =
  | { type: 'phase'; phase: 'check' | 'stage' | 'swap' | 'commit' | 'rollback' }
  | { type: 'bytes'; done: number; total: number; files?: { done: number; total: number } }
  | { type: 'step'; done: number; total: number };
