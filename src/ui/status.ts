// Renders init, status and check results for people (stderr) and as JSON (stdout): one place for their wording.
import type { GenerationRecord, PackState } from '../core/model.js';
import type { VerifyReport } from '../core/pack-compare.js';
import { pasteable, type Invocation } from './hints.js';
import { jsonIf, jsonText, type Output } from './output.js';

const list = (title: string, paths: string[], max = 20): string[] =>
  paths.length === 0 ? [] : [`${title} (${paths.length}):`, ...paths.slice(0, max).map((p) => `  ${p}`), ...(paths.length > max ? [`  ... and ${paths.length - max} more`] : [])];

export function renderVerify(r: VerifyReport): string[] {
  return [
    `${r.shipped} shipped files: ${r.unchanged} as shipped, ${r.customized.length} customized, ${r.missing.length} missing; ${r.userFiles.length} user files (never touched)`,
    ...list('Customized', r.customized),
    ...list('Missing', r.missing),
  ];
}

export type TrustedVersions = Record<string, { version: number; expires: string }> | null;

/** How the pack trusts its repository: the pinned root and the trusted versions, or the unsigned exception. */
export function trustLine(state: PackState, versions: TrustedVersions): string {
  if (versions && versions.root) {
    const v = (role: string) => (versions[role] ? ` ${role} v${versions[role].version}` : '');
    return `  trust: signed (TUF), root v${versions.root.version} pinned;${v('timestamp')}${v('snapshot')}${v('targets')}${versions.timestamp ? ` (timestamp expires ${versions.timestamp.expires})` : ''}`;
  }
  if (state.allowUnsigned) return '  trust: UNSIGNED repository accepted (init --allow-unsigned): nothing it serves is signature-checked';
  return '  trust: NONE pinned and unsigned not allowed: commands that read the repository will refuse';
}

/** `init`: what was adopted, how it is trusted, what the pack holds, what to run next; --json: all of it. */
export function renderInit(inv: Invocation & { home: string }, state: PackState, report: VerifyReport, versions: TrustedVersions, json: boolean): Output {
  const stderr = pasteable(
    [
      `Adopted ${inv.home}`,
      `  product ${state.product} at level ${state.level}, repository ${state.repository}`,
      `  lineage ${state.lineage}, serial ${state.serial}`,
      trustLine(state, versions),
      ...renderVerify(report).map((l) => `  ${l}`),
      '',
      'Next: `wso2update check` for newer levels, `wso2update plan` to see what an update would change.',
      '',
    ].join('\n'),
    inv,
  );
  return { stderr, stdout: jsonIf(json, () => ({ home: inv.home, ...state, trust: versions, report })) };
}

/** `init --reconfigure`: where the pack now takes its updates from, and whether its trust was kept or pinned anew. */
export function renderRepointed(inv: Invocation & { home: string }, r: { state: PackState; previous: string; repinned: boolean; trust: TrustedVersions }, json: boolean): Output {
  const versions = r.trust;
  const stderr = pasteable(
    [
      `Reconfigured ${inv.home}: repository ${r.state.repository} (was ${r.previous})`,
      `  it serves level ${r.state.level} of ${r.state.product} with the manifest this pack records; level, lineage, serial and generations are as they were`,
      `${trustLine(r.state, versions)}${r.repinned ? ' (pinned anew)' : ' (kept)'}`,
      '',
    ].join('\n'),
    inv,
  );
  return { stderr, stdout: jsonIf(json, () => ({ home: inv.home, ...r.state, previousRepository: r.previous, repinned: r.repinned, trust: r.trust })) };
}

const gen = (g: GenerationRecord): string => `  ${g.id}: ${g.hotfix ? `hotfix ${g.hotfix} on ${g.fromLevel}` : `${g.direction} ${g.fromLevel} -> ${g.toLevel}`}, ${g.committedAt}, plan ${g.planDigest.slice(0, 12)}`;

/** WSO2's current-state lists the hotfixes on top of the level; so does status, newest last. */
export function hotfixStatus(state: PackState): string[] {
  const fixes = state.hotfixes ?? [];
  if (fixes.length === 0) return ['  hotfixes: none applied'];
  return [`  hotfixes applied on level ${state.level} (${fixes.length}):`,
    ...fixes.map((h) => `    ${h.id}: ${h.title} (${Object.keys(h.files).length + h.removes.length} files, ${h.appliedAt}, generation ${h.generation})`)];
}

/** `status`: for people on stderr, or (--json) the same facts on stdout instead. */
export function renderStatus(
  inv: Invocation & { home: string },
  state: PackState,
  pending: string | null,
  report: VerifyReport | null,
  versions: TrustedVersions,
  json: boolean,
): Output {
  if (json) {
    return { stderr: '', stdout: jsonText({ home: inv.home, ...state, allowUnsigned: Boolean(state.allowUnsigned), hotfixes: state.hotfixes ?? [], trust: versions, pending, verify: report }) };
  }
  // With an update waiting, `revert` does undo something (that update): "nothing to revert" would be false.
  const none = pending === null ? '  no generations kept (nothing to revert)' : '  no generations kept from earlier updates';
  const stderr = pasteable(
    [
      `${state.product} at level ${state.level} (${inv.home})`,
      `  repository ${state.repository}`,
      trustLine(state, versions),
      `  lineage ${state.lineage}, serial ${state.serial}`,
      ...hotfixStatus(state),
      state.generations.length ? `  generations kept (${state.generations.length} of at most ${state.keepGenerations}):` : none,
      ...state.generations.map(gen),
      ...(pending ? ['', `  PENDING: ${pending}`] : []),
      ...(report ? ['', ...renderVerify(report).map((l) => `  ${l}`)] : []),
      '',
    ].join('\n'),
    inv,
  );
  return { stderr, stdout: '' };
}

export interface NewerLevel { level: number; title: string; date?: string; advisories: number }

/** `check`: up to date, or the newer levels with their advisories and what to run; --json: the same and the latest. */
export function renderCheck(inv: Invocation, product: string, current: number, newer: NewerLevel[], json: boolean): Output {
  const stdout = jsonIf(json, () => ({ product, level: current, latest: newer.at(-1)?.level ?? current, newer }));
  if (newer.length === 0) return { stderr: `${product} is up to date at level ${current}.\n`, stdout };
  const stderr = pasteable(
    [
      `${product} is at level ${current}; ${newer.length} newer level${newer.length === 1 ? '' : 's'} available:`,
      ...newer.map((n) => `  ${String(n.level).padStart(4)}  ${n.title}${n.advisories ? `  (${n.advisories} security advisor${n.advisories === 1 ? 'y' : 'ies'})` : ''}`),
      '',
      'Run `wso2update plan` to see what the update would change.',
      '',
    ].join('\n'),
    inv,
  );
  return { stderr, stdout };
}
