// The plan a review page is shown for in the tests: the sample plan (merge, text conflict, binary conflict, add,
// remove) plus a replaced carbon.xml with a password in its diff, hostile names, and optionally many jars.
import type { Action, Plan } from '../../src/core/model.js';
import type { PlanDisplay } from '../../src/core/plan-display.js';
import { file, samplePlan } from './sample-plan.js';

export const CARBON_DIFF = '--- a/repository/conf/carbon.xml\n+++ b/repository/conf/carbon.xml\n@@ -1,3 +1,3 @@\n <Server>\n-  <Password>wso2carbon</Password>\n+  <Password>s3cret-new</Password>\n </Server>\n';
/** A path a hostile repository could ship: markup, a script, a URL; the page must show it as text. */
export const HOSTILE_PATH = 'lib/</pre><script>alert(1)</script><img src="http://evil.invalid/x.png">.jar';

export function reviewPlan(jars = 0): { plan: Plan; display: PlanDisplay } {
  const plan = samplePlan();
  const extra: Action[] = [
    { action: 'replace', path: 'repository/conf/carbon.xml', before: file('a'), after: file('b') },
    { action: 'add', path: HOSTILE_PATH, before: { kind: 'absent' }, after: file('evil') },
  ];
  for (let i = 0; i < jars; i++) extra.push({ action: 'replace', path: `repository/components/plugins/p${String(i).padStart(4, '0')}.jar`, before: file(`o${i}`), after: file(`n${i}`.repeat(100)) });
  const actions = [...plan.actions, ...extra].sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    plan: { ...plan, actions, summary: { ...plan.summary, replace: plan.summary.replace + 1 + jars, add: plan.summary.add + 1 } },
    display: { host: 'node1.example.com', packPath: '/opt/wso2am-4.2.0', madeBy: 'ops@builder', textDiffs: { 'repository/conf/carbon.xml': CARBON_DIFF } },
  };
}
