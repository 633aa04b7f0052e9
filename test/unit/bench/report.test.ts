import { describe, expect, it } from 'vitest';
import { failedSection, markdownTable, renderReport } from '../../bench/report.js';

describe('markdownTable', () => {
  it('writes a header, an alignment rule and one row per entry, escaping pipes', () => {
    // Prepare / Act
    const table = markdownTable(
      ['path', 'transitions'],
      [
        ['a | b', 6],
        ['c', 11],
      ],
      ['left', 'right'],
    );

    // Assess
    expect(table.split('\n')).toEqual(['| path | transitions |', '|---|---:|', '| a \\| b | 6 |', '| c | 11 |']);
  });
});

describe('renderReport', () => {
  it('names the date, machine and run, then one section per benchmark section in order', () => {
    // Prepare
    const machine = { cpu: 'Test CPU', cores: 2, node: 'v22.0.0', os: 'linux 6.0', load: 2.25 };

    // Act
    const report = renderReport(
      [
        { title: 'First', markdown: '| a |\n|---|\n| 1 |\n' },
        { title: 'Second', markdown: 'text' },
      ],
      { at: new Date('2026-12-06T12:00:00Z'), machine, quick: true },
    );

    // Assess
    expect(report.startsWith('# Benchmarks\n')).toBe(true);
    expect(report).toContain('- date: 2026-12-06T12:00:00.000Z');
    expect(report).toContain('- machine: Test CPU, 2 cores, linux 6.0; load average 2.3 at start');
    expect(report).toContain('- node: v22.0.0');
    expect(report).toContain('--quick');
    expect(report.indexOf('## First\n\n| a |')).toBeGreaterThan(0);
    expect(report.indexOf('## Second\n\ntext')).toBeGreaterThan(report.indexOf('## First'));
    expect(report.endsWith('text\n')).toBe(true);
  });
});

describe('failedSection', () => {
  it('names the benchmark as failed and quotes the error', () => {
    // Act
    const section = failedSection('cmdb', new Error('Import relationships 1–4000 answered 500'));

    // Assess
    expect(section.title).toBe('cmdb: failed');
    expect(section.markdown).toContain('```\nImport relationships 1–4000 answered 500\n```');
  });
});
