// CSV cells a spreadsheet would run as a formula are neutralised (OWASP CSV injection payloads); plain numbers stay numbers.
import t from 'tap';
import { cell, toCsv } from '../../src/shared/csv.ts';

// From the OWASP CSV-injection page and its usual variants: every one must come out as text.
const PAYLOADS = [
  '=1+1',
  '+1+1',
  '-1+1',
  '@SUM(1+1)',
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://x.example","click")',
  '-1+1+HYPERLINK("http://x.example")',
  "-2+3+cmd|' /C calc'!A0",
  '+1-1+HYPERLINK("http://x.example")',
  '@1+1',
  '\t=1+1',
  '\r=1+1',
  '=1',
  '-1e3+cmd',
  '-0x1',
  '- 1',
];

t.test('formula payloads are prefixed so they stay text', async (t) => {
  for (const payload of PAYLOADS) {
    const out = cell(payload);
    const unquoted = out.startsWith('"') ? out.slice(1, -1).replace(/""/g, '"') : out;
    t.ok(unquoted.startsWith("'"), `${JSON.stringify(payload)} -> ${JSON.stringify(out)}`);
  }
});

t.test('plain numbers, negative or signed, are left as they are', async (t) => {
  for (const n of ['-12', '-0.5', '42', '+7', '0']) t.equal(cell(n), n, n);
  t.equal(cell(-3), '-3', 'a negative number value');
});

t.test('a whole CSV quotes, escapes and neutralises', async (t) => {
  const csv = toCsv(
    [{ a: '-1+1+HYPERLINK("http://x.example")', b: 'x,y' }],
    [
      { header: 'a', value: (r) => r.a },
      { header: 'b', value: (r) => r.b },
    ],
  );
  t.equal(csv, 'a,b\r\n"\'-1+1+HYPERLINK(""http://x.example"")","x,y"\r\n');
});
