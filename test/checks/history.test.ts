import { instructionsOf } from '../../shared/checks/history';

const of = (...lines: (string | undefined)[]) =>
  instructionsOf({
    rootfs: { type: 'layers', diff_ids: [] },
    history: lines.map((created_by) => (created_by === undefined ? {} : { created_by })),
  }).map(({ keyword, text, args, index }) => ({ keyword, text, args, index }));

describe('instructionsOf', () => {
  it('reads the classic builder: #(nop) metadata and plain shell commands as RUN', () => {
    expect(
      of(`/bin/sh -c #(nop) ADD file:${'a'.repeat(64)} in / `, '/bin/sh -c apt-get update'),
    ).toEqual([
      { keyword: 'ADD', text: `file:${'a'.repeat(64)} in /`, args: {}, index: 0 },
      { keyword: 'RUN', text: 'apt-get update', args: {}, index: 1 },
    ]);
  });

  it('reads BuildKit lines, with the build arguments a RUN saw', () => {
    expect(
      of(
        'COPY app /app # buildkit',
        'RUN |2 NPM_TOKEN=abc MODE=prod /bin/sh -c npm ci # buildkit',
        'ENV PATH=/usr/local/bin:/usr/bin',
        '|1 VERSION=2 /bin/sh -c make',
      ),
    ).toEqual([
      { keyword: 'COPY', text: 'app /app', args: {}, index: 0 },
      { keyword: 'RUN', text: 'npm ci', args: { NPM_TOKEN: 'abc', MODE: 'prod' }, index: 1 },
      { keyword: 'ENV', text: 'PATH=/usr/local/bin:/usr/bin', args: {}, index: 2 },
      { keyword: 'RUN', text: 'make', args: { VERSION: '2' }, index: 3 },
    ]);
  });

  it('skips entries without created_by and keeps their indices', () => {
    expect(of(undefined, 'USER app')).toEqual([
      { keyword: 'USER', text: 'app', args: {}, index: 1 },
    ]);
  });
});
