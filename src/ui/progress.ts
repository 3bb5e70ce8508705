// Progress of an apply on stderr: a listr2 task list (check, stage with bytes, swap, commit) in a terminal, plain
// lines otherwise (not a TTY, or CI set). It only renders events the applier emits; listr2's own rollback and
// signal handling are off, because undo belongs to the applier (STYLE.md library notes).
import type { Writable } from 'node:stream';
import { Listr, ListrLogger, ProcessOutput } from 'listr2';

import type { ApplyEvent } from '../core/apply-events.js';

export type ProgressEvent = ApplyEvent;

export interface Progress {
  event(e: ProgressEvent): void;
  /** Ends the display (marks the running task done or failed); nothing else writes to stderr before this. */
  finish(ok: boolean): Promise<void>;
}

const TITLES = { check: 'Check the plan against the pack', stage: 'Stage new files', swap: 'Swap files into place', commit: 'Commit' } as const;
type Phase = keyof typeof TITLES;
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

function plain(out: Writable): Progress {
  let lastStep = 0;
  return {
    event(e) {
      if (e.type === 'phase') out.write(e.phase === 'rollback' ? 'rolling back...\n' : `${TITLES[e.phase]}...\n`);
      else if (e.type === 'warning') out.write(`Warning: ${e.message}\n`);
      else if (e.type === 'step' && (e.done === e.total || e.done - lastStep >= Math.max(1, Math.floor(e.total / 4)))) {
        lastStep = e.done;
        out.write(`  ${e.done}/${e.total} steps\n`);
      }
    },
    async finish() { /* plain lines need no closing */ },
  };
}

function tasks(out: Writable): Progress {
  const waits = new Map<Phase, { resolve: () => void; reject: (e: Error) => void; title: (t: string) => void }>();
  let current: Phase | null = null;
  const gates = new Map<Phase, Promise<void>>();
  const opened = new Map<Phase, () => void>();
  for (const p of Object.keys(TITLES) as Phase[]) gates.set(p, new Promise<void>((r) => opened.set(p, r)));
  const list = new Listr(
    (Object.keys(TITLES) as Phase[]).map((p) => ({
      title: TITLES[p],
      task: async (_ctx: unknown, task: { title: string }) => {
        await gates.get(p);
        await new Promise<void>((resolve, reject) => waits.set(p, { resolve, reject, title: (t) => { task.title = t; } }));
      },
    })),
    {
      concurrent: false, exitOnError: true, registerSignalListeners: false, silentRendererCondition: false, fallbackRendererCondition: false,
      // Both of listr2's streams are our stderr: stdout carries only data (--json).
      rendererOptions: { logger: new ListrLogger({ processOutput: new ProcessOutput(out as NodeJS.WriteStream, out as NodeJS.WriteStream, { dump: [] }) }) },
    },
  );
  const running = list.run().catch(() => undefined);
  const advance = (to: Phase | null) => {
    if (current) waits.get(current)?.resolve();
    current = to;
    if (to) opened.get(to)?.();
  };
  return {
    event(e) {
      if (e.type === 'phase') {
        if (e.phase === 'rollback') {
          if (current) waits.get(current)?.reject(new Error('failed: rolling back'));
          current = null;
        } else advance(e.phase);
      } else if (e.type === 'bytes' && current === 'stage') waits.get('stage')?.title(`${TITLES.stage} (${mb(e.done)} of ${mb(e.total)})`);
      else if (e.type === 'step' && current === 'swap') waits.get('swap')?.title(`${TITLES.swap} (${e.done}/${e.total})`);
    },
    async finish(ok) {
      if (ok) {
        for (const p of Object.keys(TITLES) as Phase[]) if (!waits.has(p) && p !== current) { advance(p); await new Promise((r) => setImmediate(r)); }
        advance(null);
      } else if (current) waits.get(current)?.reject(new Error('failed'));
      await running;
    },
  };
}

export function createProgress(stderr: Writable, interactive: boolean): Progress {
  return interactive ? tasks(stderr) : plain(stderr);
}
