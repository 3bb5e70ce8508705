// Progress of an apply on stderr: a listr2 task list (check, stage with bytes, swap, commit) in a terminal, plain
// lines otherwise (not a TTY, or CI set). It only renders events the applier emits; listr2's own rollback and
// signal handling are off, because undo belongs to the applier (STYLE.md library notes).
import { sizeText } from './size.js';
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import type * as Listr2 from 'listr2';

import type { ApplyEvent } from '../core/apply-events.js';

export type ProgressEvent = ApplyEvent;

/** How a run ended: `waiting` is an apply that stopped on conflicts (no commit until `--continue`). */
export type RunEnd = 'ok' | 'failed' | 'waiting';

export interface Progress {
  event(e: ProgressEvent): void;
  /**
   * A line the operator must see now (the interrupt notice). While listr2 draws it holds every other write to
   * stderr until the end, so there the line joins the running task's title; without a display it is written.
   */
  note(line: string): void;
  /** Ends the display (marks the running task done or failed); nothing else writes to stderr before this. */
  finish(end: RunEnd): Promise<void>;
}

/** What the commit task says when a run stops on conflicts instead of committing. */
export const WAITING_NOTE = 'Commit: waits for your .final or .absent files (then apply --continue)';

const TITLES = { check: 'Check the plan against the pack', stage: 'Stage new files', swap: 'Swap files into place', commit: 'Commit' } as const;
type Phase = keyof typeof TITLES;

const staged = (e: { done: number; total: number; files?: { done: number; total: number } }): string =>
  `${sizeText(e.done)} of ${sizeText(e.total)}${e.files ? `, ${e.files.done}/${e.files.total} files` : ''}`;

function plain(out: Writable): Progress {
  let lastStep = 0;
  let lastQuarter = 0;
  return {
    event(e) {
      if (e.type === 'phase') out.write(e.phase === 'rollback' ? 'rolling back...\n' : `${TITLES[e.phase]}...\n`);
      else if (e.type === 'bytes') {
        // A line at each quarter of the bytes (a download of a large update shows it is moving), and at the end.
        const quarter = e.total === 0 ? 4 : Math.floor((4 * e.done) / e.total);
        const end = e.files ? e.files.done === e.files.total : e.done === e.total;
        if (quarter > lastQuarter || (end && lastQuarter < 5)) {
          lastQuarter = end ? 5 : quarter;
          out.write(`  ${staged(e)}\n`);
        }
      }
      else if (e.type === 'step' && (e.done === e.total || e.done - lastStep >= Math.max(1, Math.floor(e.total / 4)))) {
        lastStep = e.done;
        out.write(`  ${e.done}/${e.total} steps\n`);
      }
    },
    note(line) {
      out.write(line);
    },
    async finish(end) {
      if (end === 'waiting') out.write(`${WAITING_NOTE}\n`);
    },
  };
}

interface Deferred { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void }
function deferred(): Deferred {
  const d = {} as Deferred;
  d.promise = new Promise<void>((resolve, reject) => Object.assign(d, { resolve, reject }));
  d.promise.catch(() => undefined); // a rejected phase is reported by listr2; never an unhandled rejection
  return d;
}

/** listr2 runs its tasks one after another, later than our events arrive: each phase has a gate and an end. */
function tasks(out: Writable): Progress {
  let drawn: Progress | null = null;
  // Drawn from the first event on: a run that ends before its first phase (an empty plan, an early refusal) draws
  // nothing, rather than a list of "skipped" tasks.
  return {
    event(e) {
      drawn ??= taskList(out);
      drawn.event(e);
    },
    note(line) {
      if (drawn) drawn.note(line);
      else out.write(line);
    },
    async finish(end) {
      await drawn?.finish(end);
    },
  };
}

function taskList(out: Writable): Progress {
  // Loaded only when it draws (a terminal): plain-line runs (CI, scripts, the benchmark) skip its ~15 ms load.
  const { Listr, ListrLogger, ProcessOutput } = createRequire(import.meta.url)('listr2') as typeof Listr2;
  const phases = Object.keys(TITLES) as Phase[];
  const gate = new Map(phases.map((p) => [p, deferred()]));
  const end = new Map(phases.map((p) => [p, deferred()]));
  const titles = new Map<Phase, string>();
  const live = new Map<Phase, { title: string }>();
  const skipped = new Set<Phase>();
  const reached = new Set<Phase>();
  let current: Phase | null = null;
  let waiting = false;
  let noted = ''; // the interrupt notice, kept on the running task's title (see Progress.note)
  const list = new Listr(
    phases.map((p) => ({
      title: TITLES[p],
      task: async (_ctx: unknown, task: { title: string; skip: (m?: string) => void }) => {
        await gate.get(p)?.promise;
        if (skipped.has(p)) return task.skip(p === 'commit' && waiting ? WAITING_NOTE : `${TITLES[p]}: not needed`);
        live.set(p, task);
        if (titles.has(p) || noted) task.title = `${titles.get(p) ?? TITLES[p]}${noted}`;
        await end.get(p)?.promise;
      },
    })),
    {
      concurrent: false, exitOnError: true, registerSignalListeners: false, silentRendererCondition: false, fallbackRendererCondition: false,
      // Both of listr2's streams are our stderr: stdout carries only data (--json).
      rendererOptions: { logger: new ListrLogger({ processOutput: new ProcessOutput(out as NodeJS.WriteStream, out as NodeJS.WriteStream, { dump: [] }) }) },
    },
  );
  const running = list.run().catch(() => undefined);
  const retitle = (p: Phase, title: string) => {
    titles.set(p, title);
    const task = live.get(p);
    if (task) task.title = `${title}${noted}`;
  };
  const advance = (to: Phase) => {
    if (current) end.get(current)?.resolve();
    for (const p of phases.slice(current ? phases.indexOf(current) + 1 : 0, phases.indexOf(to))) {
      skipped.add(p);
      gate.get(p)?.resolve();
    }
    current = to;
    reached.add(to);
    gate.get(to)?.resolve();
  };
  const fail = () => {
    if (current) {
      gate.get(current)?.resolve();
      end.get(current)?.reject(new Error(`${TITLES[current]}: failed, rolled back`));
    }
    current = null;
  };
  let files: { done: number; total: number } | undefined;
  return {
    event(e) {
      if (e.type === 'phase') {
        if (e.phase === 'rollback') fail();
        else advance(e.phase);
      } else if (e.type === 'bytes') {
        // The pack's own metadata is staged last, without a file count: the title keeps the blobs' count.
        files = e.files ?? files;
        retitle('stage', `${TITLES.stage} (${staged({ ...e, files })})`);
      }
      else if (e.type === 'step') retitle('swap', `${TITLES.swap} (${e.done}/${e.total})`);
    },
    note(line) {
      noted = ` - ${line.trim()}`;
      if (current) retitle(current, titles.get(current) ?? TITLES[current]);
    },
    async finish(how) {
      waiting = how === 'waiting';
      if (how === 'failed') fail();
      else if (current) end.get(current)?.resolve();
      // Phases never reached (a run that stopped on conflicts, or failed early) show as skipped.
      for (const p of phases) {
        if (reached.has(p)) continue;
        skipped.add(p);
        gate.get(p)?.resolve();
      }
      await running;
    },
  };
}

export function createProgress(stderr: Writable, interactive: boolean): Progress {
  return interactive ? tasks(stderr) : plain(stderr);
}
