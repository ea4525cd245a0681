import { ecrRegistry, parseEcrPushEvent } from '../../shared/pipeline/ecr-event';
import { ecrPushEvent } from '../support/ecr-events';
import { DIGEST, REGISTRY } from '../support/pipeline-scans';

describe('parseEcrPushEvent', () => {
  it('reads the push: event id, time, account and the image in its registry', () => {
    expect(parseEcrPushEvent(ecrPushEvent())).toEqual({
      id: '13cde686-328b-6117-af20-0e5566167482',
      time: new Date('2026-11-29T09:55:12Z'),
      account: '123456789012',
      image: { registry: REGISTRY, repository: 'payments/api', digest: DIGEST, tag: '1.4.2' },
    });
  });

  describe('when the push named no tag', () => {
    it.each([
      ['is absent', { 'image-tag': undefined }],
      ['is empty', { 'image-tag': '' }],
    ])('reads an untagged image when the tag %s', (_, detail) => {
      expect(parseEcrPushEvent(ecrPushEvent(detail)).image).not.toHaveProperty('tag');
    });
  });

  describe('when the repository is named by its ARN', () => {
    it("takes the registry from the ARN's account and region", () => {
      const arn = 'arn:aws:ecr:us-east-2:210987654321:repository/team/base';
      expect(parseEcrPushEvent(ecrPushEvent({ 'repository-name': arn })).image).toMatchObject({
        registry: '210987654321.dkr.ecr.us-east-2.amazonaws.com',
        repository: 'team/base',
      });
    });
  });

  it.each([
    ['another action', ecrPushEvent({ 'action-type': 'DELETE' }), 'detail.action-type'],
    ['a failed push', ecrPushEvent({ result: 'FAILURE' }), 'detail.result'],
    ['a tag as digest', ecrPushEvent({ 'image-digest': 'latest' }), 'detail.image-digest'],
    ['another event', ecrPushEvent({}, { 'detail-type': 'ECR Scan' }), 'detail-type'],
    ['no detail', ecrPushEvent({}, { detail: undefined }), 'detail'],
    ['a bad time', ecrPushEvent({}, { time: 'yesterday' }), 'time'],
    ['no event at all', undefined, '(root)'],
    [
      'a repository name ECR refuses',
      ecrPushEvent({ 'repository-name': '../Etc' }),
      'repository-name',
    ],
    ['a path in disguise', ecrPushEvent({ 'repository-name': 'a/../b' }), 'repository-name'],
    [
      'an ARN of something else',
      ecrPushEvent({ 'repository-name': 'arn:aws:s3:::bucket' }),
      'repository-name',
    ],
  ])('fails when the event is %s, naming the field, as input not to retry', (_, event, field) => {
    let thrown: unknown;
    try {
      parseEcrPushEvent(event);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'MALFORMED_INPUT', kind: 'input' });
    expect((thrown as Error).message).toContain(field);
  });
});

describe('ecrRegistry', () => {
  it('names the registry host of an account and region, in China too', () => {
    expect(ecrRegistry('123456789012', 'eu-west-1')).toBe(REGISTRY);
    expect(ecrRegistry('123456789012', 'cn-north-1', 'aws-cn')).toBe(
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
    );
  });
});
