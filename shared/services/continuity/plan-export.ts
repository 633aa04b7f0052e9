/**
 * The offline form of a continuity plan: everything needed when the office
 * (and this API) is not reachable — objectives, the escalation list, the
 * recovery steps and the CIs the service depends on — as JSON, and as a
 * self-contained printable HTML page (no scripts, no external assets).
 * Pure, so the page is tested without a request.
 * @module
 */
import type * as z from 'zod';
import type { ExportResource } from '#shared/http/continuity/schemas.js';

export type PlanExport = z.infer<typeof ExportResource>;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every value on the page comes from tenant input: escaped, always. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

function rows(cells: readonly (readonly unknown[])[]): string {
  return cells.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
}

export function planExportHtml(data: PlanExport): string {
  const { plan } = data;
  const steps = plan.steps.map((step, index) => [
    index + 1,
    step.name,
    step.kind,
    step.kind === 'probe'
      ? `GET ${step.url} → ${step.expectedStatus} within ${step.timeoutSeconds} s`
      : step.kind === 'function'
        ? `invoke ${step.functionName} → ${JSON.stringify(step.expect)} within ${step.timeoutSeconds} s`
        : step.instructions,
  ]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Continuity plan: ${escapeHtml(plan.name)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>Continuity plan: ${escapeHtml(plan.name)}</h1>
<p>Service: ${escapeHtml(data.service?.name ?? plan.serviceId)} · Status: ${escapeHtml(plan.status)} · Exported ${escapeHtml(data.exportedAt)} · Version ${escapeHtml(plan.version)}</p>
<h2>Objectives</h2>
<table><tr><th>RTO</th><th>RPO</th><th>Availability target</th><th>Last test</th><th>Next test due</th></tr>
${rows([[`${plan.rtoMinutes} min`, `${plan.rpoMinutes} min`, `${plan.availabilityTarget} %`, plan.lastTestAt ? `${plan.lastTestAt} (${plan.lastTestOutcome})` : 'never', plan.nextTestDue]])}
</table>
<h2>Contacts, in escalation order</h2>
<table><tr><th>Level</th><th>Name</th><th>Role</th><th>Phone</th><th>E-mail</th></tr>
${rows(plan.contacts.map((contact) => [contact.escalationLevel, contact.name, contact.role, contact.phone ?? '', contact.email ?? '']))}
</table>
<h2>Recovery steps</h2>
<table><tr><th>#</th><th>Step</th><th>Kind</th><th>What to do / check</th></tr>
${rows(steps)}
</table>
<h2>Configuration items the service depends on</h2>
<table><tr><th>Depth</th><th>Name</th><th>Class</th><th>Id</th></tr>
${rows(data.impactedCis.map((ci) => [ci.depth, ci.name, ci.class, ci.id]))}
</table>
</body>
</html>
`;
}
