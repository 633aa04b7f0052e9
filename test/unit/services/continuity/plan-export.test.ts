/** The printable offline page of a plan: every tenant value escaped, every section present. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, type PlanExport, planExportHtml } from '#shared/services/continuity/plan-export.js';

const data: PlanExport = {
  exportedAt: '2026-11-22T10:00:00.000Z',
  service: { id: 'svc', name: 'Pay<script>alert(1)</script>', status: 'active' },
  impactedCis: [{ id: 'ci-1', name: 'db "primary"', class: 'database', depth: 1 }],
  plan: {
    id: 'p1',
    name: "O'Brien & Co DR",
    serviceId: 'svc',
    rtoMinutes: 240,
    rpoMinutes: 60,
    availabilityTarget: 99.9,
    testFrequencyMonths: 12,
    contacts: [{ name: 'Dana <Lead>', role: 'DR lead', phone: '+44 1', email: 'dana@x.example', escalationLevel: 1 }],
    steps: [
      { id: 'h', name: 'Health', kind: 'probe', url: 'https://x.example/health?a=1&b=2', expectedStatus: 200, timeoutSeconds: 5, recoveryPointField: null },
      { id: 'm', name: 'Fail over', kind: 'manual', instructions: 'Run <b>failover.sh</b>' },
    ],
    status: 'current',
    retestReason: null,
    lastTestAt: null,
    lastTestId: null,
    lastTestOutcome: null,
    nextTestDue: '2027-11-22T10:00:00.000Z',
    createdAt: '2026-11-22T10:00:00.000Z',
    createdBy: 'u',
    updatedAt: '2026-11-22T10:00:00.000Z',
    version: 3,
  },
};

describe('planExportHtml', () => {
  it('escapes every value and has no script or external asset', () => {
    const page = planExportHtml(data);
    expect(page).not.toMatch(/<script|src=|href=/i);
    expect(page).toContain('Pay&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('O&#39;Brien &amp; Co DR');
    expect(page).toContain('Dana &lt;Lead&gt;');
    expect(page).toContain('db &quot;primary&quot;');
    expect(page).toContain('GET https://x.example/health?a=1&amp;b=2 → 200 within 5 s');
    expect(page).toContain('Run &lt;b&gt;failover.sh&lt;/b&gt;');
  });

  it('has the objectives, contacts, steps in order and the CIs', () => {
    const page = planExportHtml(data);
    for (const text of ['240 min', '60 min', '99.9 %', 'never', 'Contacts, in escalation order', 'Recovery steps', 'Configuration items'])
      expect(page).toContain(text);
    expect(page.indexOf('Health')).toBeLessThan(page.indexOf('Fail over'));
  });

  it('escapeHtml covers the five characters', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
    expect(escapeHtml(null)).toBe('');
  });
});
