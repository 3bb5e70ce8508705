// The review page (`show PLAN --html`, issue 23): one self-contained HTML file a change board reads from a file
// share or a mail attachment. Inline CSS, no script, no URL of any kind (a CSP forbids fetching anyway), every
// text escaped, long lists and diffs in <details>, secrets masked as `show` masks them. Formats only.
import type { ApprovalVerdict } from '../core/approval/verdict.js';
import type { Action, ConflictAction, Entry, Observed, Plan } from '../core/model.js';
import { groupByFolder, type ApprovalPolicy, type PlanDisplay } from '../core/plan-display.js';
import { maskDiff } from '../core/secrets.js';
import { rejectionText } from './approvals.js';
import { boundText, byAction, conflictExcerpt, hotfixLines, POLICY_TEXT, REASON_TEXT, resolutionText, revertedGenerations, shownAction, summaryLine, type ShowOptions } from './show-common.js';
import { sizeText } from './size.js';

export interface ReviewInput {
  plan: Plan;
  display?: PlanDisplay;
  policy?: ApprovalPolicy | null;
  /** Approvals checked against an allowed signers file (present and missing), when one was given. */
  approvals?: ApprovalVerdict | null;
}

/** Diffs longer than this are collapsed; longer than MAX_DIFF_LINES they are cut (the plan keeps them whole). */
const OPEN_LINES = 40;
const MAX_DIFF_LINES = 2000;
const OPEN_ITEMS = 20;

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** The one escape every text goes through; also drops C0 controls other than tab and newline. */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\uFFFD');

const num = (n: number): string => n.toLocaleString('en-US');

/** An entry as a reviewer reads it: "file, 3,545 bytes, mode 0644 (sha256 23a6bea98eaa…)". */
export function entryText(o: Observed | Entry | null): string {
  if (o === null) return 'not shipped';
  switch (o.kind) {
    case 'file': return `file, ${num(o.size)} bytes, mode ${o.mode} (sha256 ${o.sha256.slice(0, 12)}…)`;
    case 'symlink': return `symbolic link to ${o.target}`;
    case 'absent': return 'no file';
    case 'dir': return 'a folder';
    default: return 'something that is not a file (device, socket)';
  }
}

function diffBlock(diff: string, summary: string): string {
  const all = diff.replace(/\n$/, '').split('\n');
  const lines = all.slice(0, MAX_DIFF_LINES);
  const body = lines.map((l) => {
    const cls = /^(\+\+\+|---) /.test(l) ? 'h' : l.startsWith('@@') ? 'k' : l.startsWith('+') ? 'a' : l.startsWith('-') ? 'd' : '';
    return cls ? `<span class="${cls}">${esc(l)}</span>` : esc(l);
  }).join('\n');
  const cut = all.length > lines.length ? `<p class="note">${num(all.length - lines.length)} more lines not shown; the plan holds the whole diff.</p>` : '';
  return `<details${all.length <= OPEN_LINES ? ' open' : ''}><summary>${esc(summary)} (${num(all.length)} lines)</summary><pre class="diff">${body}</pre>${cut}</details>`;
}

function list(items: string[], summary: string): string {
  const lis = items.map((i) => `<li><code>${esc(i)}</code></li>`).join('');
  return `<details${items.length <= OPEN_ITEMS ? ' open' : ''}><summary>${esc(summary)}</summary><ul>${lis}</ul></details>`;
}

const row = (k: string, v: string): string => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`;

function header(i: ReviewInput): string {
  const { plan } = i;
  const d = i.display ?? {};
  const where = plan.portable ? 'any identical pack (portable plan: no host or path)' : `${esc(d.packPath ?? '(not recorded)')} on ${esc(d.host ?? '(host not recorded)')}`;
  const policy = i.policy && i.policy.required > 0
    ? `${i.policy.required} approval${i.policy.required === 1 ? '' : 's'} from the allowed signers file${i.policy.allowedSigners ? ` (sha256 ${esc(i.policy.allowedSigners.slice(0, 12))}…)` : ''}`
    : 'none recorded for this page';
  return `<table class="facts">${[
    row('Product', `<code>${esc(plan.product)}</code>`),
    row(plan.direction === 'revert' ? 'Undoes' : 'Levels', plan.direction === 'revert' ? esc(revertedGenerations(plan)) : `${plan.fromLevel} → ${plan.toLevel}`),
    row('Pack', where),
    row('Applies to', esc(boundText(plan))),
    row('Serial', plan.serial === null ? 'any (portable)' : String(plan.serial)),
    row('Plan digest', `<code class="digest">${esc(plan.digest)}</code>`),
    row('Made', `${esc(plan.createdAt)}${d.madeBy ? ` by ${esc(d.madeBy)}` : ''} with ${esc(plan.tool.name)} ${esc(plan.tool.version)}`),
    row('Repository', `<code>${esc(plan.repository)}</code>`),
    row('Conflicts', esc(POLICY_TEXT[plan.onConflict])),
    row('Approval policy', policy),
  ].join('')}</table>`;
}

function approvals(i: ReviewInput): string {
  const v = i.approvals;
  if (!v) return '<p>No allowed signers file was given, so approvals were not checked for this page. Approve with <code>ssh-keygen -Y sign -f KEY -n wso2update-plan PLAN</code>.</p>';
  const ok = v.approvers.map((a) => `<li class="ok">${esc(a.principals.join(', '))} <small>(${esc(a.fingerprint)}, ${esc(a.source)})</small></li>`);
  const bad = v.rejected.map((r) => `<li class="bad">${esc(r.source)}: ${esc(rejectionText(r.reason))}: ${esc(r.detail)}</li>`);
  const rep = v.repeated.map((r) => `<li>${esc(r.source)}: counts once (${esc(r.principals.join(', '))} already in ${esc(r.sameAs)})</li>`);
  const head = v.missing > 0 ? `<p class="bad">${v.approvers.length} of ${v.required} approvals; ${v.missing} missing.</p>` : `<p class="ok">${v.approvers.length} of ${v.required} approvals.</p>`;
  return `${head}<ul>${[...ok, ...bad, ...rep].join('') || '<li>No signatures.</li>'}</ul>`;
}

function notes(plan: Plan): string {
  if (plan.direction === 'revert') return `<p>A revert crosses no published level: each path gets back what ${esc(revertedGenerations(plan))} kept.</p>`;
  const adv = plan.notes.flatMap((n) => n.securityAdvisories.map((s) => `<tr><td>${n.level}</td><td>${esc(s.id)}</td><td class="sev-${esc(s.severity)}">${esc(s.severity)}</td><td>${esc(s.title)}</td></tr>`));
  const advTable = adv.length ? `<table><tr><th>Level</th><th>Advisory</th><th>Severity</th><th>Title</th></tr>${adv.join('')}</table>` : '<p>No security advisories.</p>';
  const levels = plan.notes.map((n) => `<h3>Level ${n.level}: ${esc(n.title)} <small>${esc(n.date)}</small></h3>${n.description.trim() ? `<p>${esc(n.description.trim())}</p>` : ''}${
    n.fixes.length ? `<ul>${n.fixes.map((f) => `<li>${esc(f.id)}: ${esc(f.title)}</li>`).join('')}</ul>` : ''}`).join('');
  const hot = hotfixLines(plan).map((l) => `<li>${esc(l)}</li>`).join('');
  return `${hot ? `<h3>Hotfixes</h3><ul>${hot}</ul>` : ''}<h3>Security advisories</h3>${advTable}${levels}`;
}

function conflict(a: ConflictAction): string {
  const three = `<table>${row('On disk now (yours)', esc(entryText(a.before)))}${row('Base (your level ships)', esc(entryText(a.base)))}${row('Target (the update ships)', esc(entryText(a.target)))}</table>`;
  return `<section class="conflict"><h3><code>${esc(a.path)}</code></h3><p><b>${esc(REASON_TEXT[a.reason])}.</b> ${esc(resolutionText(a))}</p>${three}${
    a.markers ? diffBlock(conflictExcerpt(a.markers), 'Overlapping edits (yours, base, target)') : ''}${a.diff ? diffBlock(a.diff, 'What the update changes (base → target)') : ''}</section>`;
}

function textFiles(actions: Action[], diffs: Record<string, string>, opts: ShowOptions): { html: string; shown: Set<string> } {
  const shown = new Set<string>();
  const parts: string[] = [];
  for (const a of actions) {
    const diff = diffs[a.path];
    if ((a.action !== 'replace' && a.action !== 'add') || diff === undefined) continue;
    shown.add(a.path);
    parts.push(`<h3><code>${esc(a.path)}</code> <small>${a.action === 'add' ? 'added' : 'replaced'}</small></h3>${diffBlock(opts.revealSecrets ? diff : maskDiff(diff, a.path), a.action === 'add' ? 'New file' : 'Base → target')}`);
  }
  return { html: parts.join(''), shown };
}

function binaries(actions: Action[]): string {
  const groups = groupByFolder(actions);
  if (!groups.length) return '<p>None.</p>';
  const rows = groups.map((g) => `<tr><td><code>${esc(g.folder)}/</code></td><td>${num(g.count)}</td><td>${esc(sizeText(g.bytes))}</td><td>${list(g.paths, `${num(g.count)} file${g.count === 1 ? '' : 's'}`)}</td></tr>`);
  return `<table><tr><th>Folder</th><th>Files</th><th>Size</th><th>Paths</th></tr>${rows.join('')}</table>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#1b1b1b}
h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:2em}code{font-family:ui-monospace,monospace}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
.facts th{background:#f4f4f4}.digest{font-weight:bold;word-break:break-all}pre.diff{background:#fafafa;padding:.5em;overflow:auto}
.a{color:#116329;background:#e6ffec}.d{color:#82071e;background:#ffebe9}.k{color:#6639ba}.h{font-weight:bold}
.conflict{border-left:4px solid #cf222e;padding-left:1em}.ok{color:#116329}.bad{color:#cf222e}.note{color:#666}
.sev-critical,.sev-high{color:#cf222e;font-weight:bold}summary{cursor:pointer}`;

/** The page: one string, nothing fetched, nothing executed. */
export function renderReviewPage(input: ReviewInput, opts: ShowOptions = {}): string {
  const { plan } = input;
  const actions = plan.actions.map((a) => shownAction(a, opts));
  const title = plan.hotfix ? `Hotfix ${plan.hotfix.id} on ${plan.product} level ${plan.fromLevel}`
    : `${plan.direction === 'revert' ? 'Revert' : 'Update'} ${plan.product} from level ${plan.fromLevel} to level ${plan.toLevel}`;
  const conflicts = byAction({ ...plan, actions }, 'conflict') as ConflictAction[];
  const merges = actions.filter((a) => a.action === 'merge');
  const text = textFiles(actions, input.display?.textDiffs ?? {}, opts);
  const bins = actions.filter((a) => (a.action === 'replace' || a.action === 'add') && !text.shown.has(a.path));
  const removed = actions.filter((a) => a.action === 'remove').map((a) => a.path);
  const chmod = actions.filter((a) => a.action === 'chmod').map((a) => `${a.path} → ${a.after.kind === 'file' ? a.after.mode : ''}`);
  const body = [
    `<h1>${esc(title)}</h1>`, `<p>${esc(summaryLine(plan.summary))}</p>`, header(input),
    '<h2>Approvals</h2>', approvals(input),
    '<h2>Levels, fixes and advisories</h2>', notes(plan),
    `<h2>Conflicts (${conflicts.length})</h2>`, conflicts.length ? conflicts.map(conflict).join('') : '<p>None.</p>',
    `<h2>Merges (${merges.length})</h2>`, merges.map((a) => `<h3><code>${esc(a.path)}</code></h3>${a.action === 'merge' && a.diff ? diffBlock(a.diff, 'Your file → merged result') : '<p>No diff recorded.</p>'}`).join('') || '<p>None.</p>',
    `<h2>Replaced and added text files (${text.shown.size})</h2>`, text.html || '<p>None.</p>',
    `<h2>Other replaced and added files (${bins.length})</h2>`, binaries(bins),
    ...(removed.length ? [`<h2>Removed (${removed.length})</h2>`, list(removed, `${num(removed.length)} files`)] : []),
    ...(chmod.length ? [`<h2>Mode changed (${chmod.length})</h2>`, list(chmod, `${num(chmod.length)} files`)] : []),
    `<p class="note">${opts.revealSecrets ? 'Secret values are shown as they are.' : 'Secret values are masked.'} Approve exactly this plan (digest above) with <code>ssh-keygen -Y sign -f KEY -n wso2update-plan PLAN</code>.</p>`,
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}

/** `show --html --out FILE`: where the page went, and of which plan. */
export const pageWritten = (digest: string, file: string): string => `Wrote the review page of plan ${digest.slice(0, 12)} to ${file}\n`;
