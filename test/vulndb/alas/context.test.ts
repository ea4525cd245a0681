import { alasReleaseOf, contextOfId } from '../../../shared/vulndb/alas';
import { storedId, streamOfTopic } from '../../../shared/vulndb/alas/context';

describe('contextOfId', () => {
  it.each([
    ['ALAS2023-2024-123', { release: '2023' }],
    ['ALAS2-2023-2001', { release: '2' }],
    ['ALAS2KERNEL-5.10-2022-001', { release: '2', topic: 'kernel-5.10' }],
    ['ALAS2GOLANG1.19-2023-001', { release: '2', topic: 'golang1.19' }],
    ['ALAS2NGINX1-2023-003', { release: '2', topic: 'nginx1' }],
    ['ALASDOCKER-2023-029', { release: '2', topic: 'docker' }],
    ['ALASPYTHON3.8-2023-004', { release: '2', topic: 'python3.8' }],
    ['ALAS-2023-1923', undefined],
    ['ALAS2022-2022-001', undefined],
    ['ALAS2023-2024', undefined],
    ['GHSA-xxxx-yyyy-zzzz', undefined],
  ])('reads %s as %j', (id, context) => {
    expect(contextOfId(id)).toEqual(context);
  });
});

describe('storedId', () => {
  it.each([
    ['ALAS-2022-015', { release: '2', topic: 'docker' }, 'ALASDOCKER-2022-015'],
    ['ALAS-2022-015', { release: '2' }, 'ALAS-2022-015'],
    ['ALAS-2022-015', undefined, 'ALAS-2022-015'],
    ['ALAS2DOCKER-2026-108', { release: '2', topic: 'docker' }, 'ALAS2DOCKER-2026-108'],
  ] as const)('stores %s of %j as %s', (id, context, stored) => {
    expect(storedId(id, context)).toBe(stored);
  });
});

describe('streamOfTopic', () => {
  it.each([
    ['kernel-5.10', '5.10'],
    ['postgresql14', '14'],
    ['php8.0', '8.0'],
    ['mate-desktop1.x', '1'],
    ['docker', undefined],
    ['kernel-ng', undefined],
  ])('reads the stream of %s as %s', (topic, stream) => {
    expect(streamOfTopic(topic)).toBe(stream);
  });
});

describe('alasReleaseOf', () => {
  it.each([
    ['Amazon Linux:2', '2'],
    ['Amazon Linux:2023', '2023'],
    ['Amazon Linux:2022', undefined],
    ['Amazon Linux', undefined],
    ['Debian', undefined],
  ])('reads %s as %s', (ecosystem, release) => {
    expect(alasReleaseOf(ecosystem)).toBe(release);
  });
});
