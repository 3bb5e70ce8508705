// The benchmark's table: medians beside their peers, ratios against the goals of the issues, every run's raw
// values, and what could not be measured (a missing measurement is reported, never left out silently).
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

export function median(xs) {
  if (!xs?.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const secs = (x) => (x === null ? 'not measured' : x < 1 ? `${(x * 1000).toFixed(0)} ms` : `${x.toFixed(2)} s`);

// [label, our metric, peer label, peer metric, goal as max ratio (or null), goal as max seconds (optional)]
const ROWS = [
  ['publish level 0 (whole pack)', 'publish0', null, null, null],
  ['publish level 1 (the update)', 'publish1', null, null, null],
  ['init (adopt; hashes the pack once)', 'init', 'sha256sum, whole pack', 'sha256sum', null],
  ['plan', 'plan', 'sha256sum, whole pack', 'sha256sum', 0.15],
  ['merge3, 20,000 repeated lines (in-process, first call)', 'merge', 'git merge-file', 'mergeGit', 20],
  ['merge3, 3,000-line deployment.toml, 30 edits a side (in-process, first call)', 'mergeDeploy', 'git merge-file', 'mergeDeployGit', null, 0.01],
  ['the same, warm (median of 10 more calls in the process)', 'mergeDeployWarm', null, null, null, 0.01],
  ['plan + apply, customized pack', 'planApply', 'git checkout -m (fresh worktree, cold index)', 'gitCheckout', 0.33],
  ['plan + apply, customized pack', 'planApply', 'rsync -a --delete --backup-dir', 'rsync', 1.0],
  ['apply alone', 'apply', null, null, null],
  ['plan, the same update on the 48,000-file pack (36,000 more files it does not touch)', 'plan48', 'plan, 12,000-file pack', 'plan', 1.3],
  ['apply, the same update on the 48,000-file pack', 'apply48', 'apply alone, 12,000-file pack', 'apply', 1.3],
  ['apply-hotfix, 3 patched jars on the updated pack (plan, signed-channel checks, apply, generation)', 'applyHotfix', 'cp of the same 3 jars (the manual way: no check, no backup)', 'cpHotfix', null],
  ['the same apply-hotfix', 'applyHotfix', 'plan + apply of the level update (cost follows the change, not the pack)', 'planApply', null],
  ['plan + apply over HTTP (nginx on 127.0.0.1)', 'httpPlanApply', 'plan + apply from the folder', 'planApply', null],
  ['download part: the blobs apply fetches, 8 connections (in-process, warm pool)', 'httpDownload', 'curl --parallel --parallel-max 8 (whole process)', 'curlParallel', 1.5],
  ['download part, CPU time (user + system)', 'httpDownloadCpu', 'curl --parallel, CPU time (user + system)', 'curlCpu', null],
  ['create-update, level 0 -> 1 (verifies the channel, writes the tar hashing each blob once, reads it back as a client; no fsync, as tar)', 'createUpdate', 'tar -cf of the same files', 'tarCf', 3],
  ['apply-update (plan, --yes, apply; the bundle as repository)', 'applyUpdate', 'apply --yes from the folder repository', 'applyFolder', null],
  ['CLI start alone (--version; in every row above but merge3)', 'startup', null, null, null],
];

/** The CPU profile of one plan and one apply of run 1's update: where the remaining time goes. */
function profileSection({ plan, apply }) {
  const labels = [...new Set([...plan.parts, ...apply.parts].map(([k]) => k))];
  const ms = (b, k) => `${(b.parts.find(([l]) => l === k)?.[1] ?? 0).toFixed(0)} ms`;
  return [
    '## Where the time goes', '',
    'CPU profile (`node --cpu-prof`) of one more plan and apply of the same update on a fresh copy (last run), run from the',
    "compiled modules (scripts/lib/run-modules.mjs: the bundle's minified names would put everything under \"other\"), so",
    "module loading is that of ~200 ES modules without the code cache. The profile starts after Node's own start-up",
    '(about 40 ms per process) and slows the run a little.', '',
    '| | plan | apply |', '|---|---|---|',
    ...labels.map((k) => `| ${k} | ${ms(plan, k)} | ${ms(apply, k)} |`),
    `| total profiled | ${plan.totalMs.toFixed(0)} ms | ${apply.totalMs.toFixed(0)} ms |`, '',
  ];
}

function gitVersion() {
  try { return execFileSync('git', ['--version'], { encoding: 'utf8' }).trim(); } catch { return 'git ?'; }
}

/** The rows of the report; with --merge-only just the merge rows, with --http-only (section 'http') the HTTP rows and
 * their peers, with --bundle-only (section 'bundle') the bundle's. */
const SECTION_ROWS = {
  http: new Set(['httpPlanApply', 'httpDownload', 'httpDownloadCpu']),
  bundle: new Set(['createUpdate', 'applyUpdate']),
  scale: new Set(['plan48', 'apply48']),
};
const rowsFor = (mergeOnly, section) => ROWS.filter(([, metric]) => (mergeOnly ? metric.startsWith('merge') : section ? SECTION_ROWS[section].has(metric) : true));

function header({ runs, quick, pack, load, mergeOnly, section, downloadReps }) {
  const machine = `Machine: ${cpus().length} CPU (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${gitVersion()}.`;
  const loadLine = load.length ? [`1-minute load average before the runs and after each: ${load.map((l) => l[0].toFixed(2)).join(', ')} (${cpus().length} CPUs; other sessions share the machine).`] : [];
  if (mergeOnly) {
    return ['# Benchmark (merges only)', '', `\`npm run bench -- --merge-only\`: medians of ${runs} runs. ${machine}`,
      'merge3 is timed inside its process around the call; git merge-file is the whole process, on the same files.', ...loadLine];
  }
  if (section === 'http') {
    return ['# Benchmark (HTTP only)', '', `\`npm run bench -- --http-only${quick ? ' --quick' : ''}\`: medians of ${runs} runs (the download part ${downloadReps} times per run, ours and curl's in turn)`,
      `on the generated pack of ${pack.files} files (${pack.sizeMB} MB at level 0) and its update of ${Object.values(pack.change).flat().length} paths, from a signed repository. ${machine}`, ...loadLine];
  }
  return [
    section === 'bundle' ? '# Benchmark (offline bundles only)' : section === 'scale' ? '# Benchmark (scale only: the 12,000- and 48,000-file packs)' : '# Benchmark', '',
    `\`npm run bench\`${quick ? ' --quick' : ''}${section ? ` --${section}-only` : ''}: medians of ${runs} runs on a generated pack of ${pack.files} files (${pack.sizeMB} MB at level 0),`,
    `an update of ${Object.values(pack.change).flat().length} paths (${pack.change.replaced.length} jars replaced, ${pack.change.bumped.length} version-bumped, ${pack.change.edited.length} configs edited, ${pack.change.added.length} added, ${pack.change.removed.length} removed)`,
    `and ${pack.customized.length} customized configs (${pack.customized.filter((p) => pack.change.edited.includes(p)).length} of them also edited by the update: clean merges) plus user files and runtime data.`,
    `${machine} Warm page cache; wall-clock times of whole processes`,
    'except merge3, timed inside its process around the call (git merge-file: the whole process, on the same files).',
    ...loadLine,
  ];
}

export function renderReport({ samples, errors, runs, quick, pack, load = [], profile = null, mergeOnly = false, mergeOutcomes = {}, section = null, downloadReps = 1 }) {
  const med = (k) => median(samples[k]);
  const lines = [
    ...header({ runs, quick, pack, load, mergeOnly, section, downloadReps }),
    '',
    '| measure | wso2update | peer | peer | ratio | goal |', '|---|---|---|---|---|---|',
  ];
  for (const [label, ours, peerLabel, peer, goal, maxSeconds] of rowsFor(mergeOnly, section)) {
    const a = med(ours), b = peer ? med(peer) : null;
    const ratio = a !== null && b ? a / b : null;
    let verdict = goal === null || ratio === null ? '' : `<= ${goal}x ${ratio <= goal ? 'met' : 'NOT met'}`;
    if (maxSeconds !== undefined && a !== null) verdict = `<= ${secs(maxSeconds)} ${a <= maxSeconds ? 'met' : 'NOT met'}`;
    lines.push(`| ${label} | ${secs(a)} | ${peerLabel ?? ''} | ${peer ? secs(b) : ''} | ${ratio === null ? '' : `${ratio.toFixed(2)}x`} | ${verdict} |`);
  }
  const outcomes = Object.entries(mergeOutcomes);
  const outcomeLine = outcomes.length ? [`Merge outcomes: ${outcomes.map(([k, v]) => `${k} ${v}`).join(', ')}.`] : [];
  if (mergeOnly) return `${[...lines, '', ...outcomeLine].join('\n')}\n`;
  const bundleLine = samples.bundleMB ? [`The bundle of the update is ${median(samples.bundleMB).toFixed(1)} MB; apply-update's result checked in run 1: ${samples.bundleVerified ? 'yes' : 'NOT checked'}.`] : [];
  if (section === 'bundle') return `${[...lines, '', ...bundleLine].join('\n')}\n`;
  if (section !== 'http') {
    if (section === 'scale') lines.push(`| plan, 12,000-file pack | ${secs(med('plan'))} | | | | |`, `| apply, 12,000-file pack | ${secs(med('apply'))} | | | | |`);
    for (const [metric, label] of [['rss', 'apply peak RSS (/usr/bin/time -v), 12,000-file pack'], ['rss48', 'apply peak RSS, 48,000-file pack']]) {
      const rss = med(metric);
      lines.push(`| ${label} | ${rss === null ? 'not measured' : `${rss.toFixed(0)} MB`} | | | | ${rss === null ? '' : `<= 150 MB ${rss <= 150 ? 'met' : 'NOT met'}`} |`);
    }
    if (section === 'scale') return `${[...lines, '', `Results checked in run 1: ${samples.verified48 ? 'yes' : 'NOT checked'}.`].join('\n')}\n`;
    lines.push('', ...outcomeLine, ...(outcomeLine.length ? [''] : []));
    const checked = (k) => (samples[k] ? 'yes' : 'NOT checked');
    lines.push(...bundleLine);
    lines.push(`Results checked in run 1 (replaced, added, removed, merged and user files): wso2update ${checked('verified')}, on the 48,000-file pack ${checked('verified48')}, git checkout -m ${checked('gitVerified')}.`);
    lines.push('rsync is the naive peer: it overwrites customizations and deletes user files (into its backup dir) instead of merging.', '');
  }
  if (samples.httpFiles) lines.push('', `The download part fetches ${median(samples.httpFiles)} blobs (${median(samples.httpMB).toFixed(1)} MB) from nginx; both sides write them to disk, ours also computes each sha256 on the way.`);
  if (profile) lines.push(...profileSection(profile));
  lines.push('## Every run', '', '| metric | runs |', '|---|---|');
  for (const [k, xs] of Object.entries(samples)) if (!/verified|httpFiles|httpMB|bundleMB/i.test(k)) lines.push(`| ${k} | ${xs.map((x) => (k.startsWith('rss') ? `${x.toFixed(0)} MB` : secs(x))).join(', ')} |`);
  const missing = Object.entries(errors);
  if (missing.length) {
    lines.push('', '## Not measured', '');
    for (const [k, e] of missing) lines.push(`- ${k}: ${e}`);
  }
  return `${lines.join('\n')}\n`;
}
