import { Match } from 'aws-cdk-lib/assertions';
import { definitionOf, FULL_CONFIG, synthesize } from './synth';

type State = Record<string, unknown>;
type Json = Record<string, unknown>;

const { template } = synthesize(FULL_CONFIG);
const fleet = definitionOf(template, 'FleetScanStateMachine') as { States: Record<string, State> };

/** The statements of the posture-scan function's role. */
function postureStatements(): Json[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const id = Object.keys(policies).find((key) => key.startsWith('FunctionsPostureScanRole'));
  return (policies[id!] as { Properties: { PolicyDocument: { Statement: Json[] } } }).Properties
    .PolicyDocument.Statement;
}

const actionsOf = (statement: Json) => [statement.Action].flat() as string[];
const text = (value: unknown) => JSON.stringify(value);

describe('FleetScan with the posture run', () => {
  it('runs Posture after the re-check and before Summarize, named after the run', () => {
    expect(fleet.States.CheckFleet).toMatchObject({ Next: 'Posture' });
    expect(fleet.States.Posture).toMatchObject({
      Type: 'Task',
      Resource: expect.stringMatching(/^<FunctionsPostureScanFunction/),
      Parameters: { 'runId.$': '$.runId' },
      ResultPath: '$.posture',
      Next: 'Summarize',
    });
  });

  it('catches any failure of Posture into PostureFailed, which goes on to Summarize', () => {
    expect(fleet.States.Posture!.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.posture', Next: 'PostureFailed' },
    ]);
    expect(fleet.States.PostureFailed).toEqual({
      Type: 'Pass',
      Parameters: { status: 'failed', 'error.$': '$.posture.Error', 'cause.$': '$.posture.Cause' },
      ResultPath: '$.posture',
      Next: 'Summarize',
    });
  });

  it('retries Posture as every task, throttling included', () => {
    expect(text(fleet.States.Posture!.Retry)).toContain('Lambda.TooManyRequestsException');
  });

  it("hands Summarize the posture run's outcome", () => {
    expect(fleet.States.Summarize).toMatchObject({
      Parameters: { 'posture.$': '$.posture' },
      End: true,
    });
  });
});

describe('the posture-scan function', () => {
  it('has the bucket, the images table and the watched repositories in its environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'posture-scan',
          CLEARANCE_BUCKET: Match.anyValue(),
          CLEARANCE_IMAGES_TABLE: Match.anyValue(),
          CLEARANCE_REPOSITORIES: 'team-a/*,base,svc-??',
        }),
      },
    });
  });

  it('lists clusters and services, and describes task definitions, on * (no resource-level permissions)', () => {
    const star = postureStatements().find((s) => s.Resource === '*' && s.Condition === undefined)!;
    expect(actionsOf(star)).toEqual(
      expect.arrayContaining([
        'ecs:ListClusters',
        'ecs:ListServices',
        'ecs:DescribeTaskDefinition',
      ]),
    );
  });

  it("lists tasks only in this account and region's clusters", () => {
    const listTasks = postureStatements().find((s) => actionsOf(s).includes('ecs:ListTasks'))!;
    expect(listTasks.Resource).toBe('*');
    expect(text(listTasks.Condition)).toMatch(
      /"ArnLike":\{"ecs:cluster":\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},":ecs:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":cluster\/\*"\]\]\}\}/,
    );
  });

  it('describes services and tasks by their ARNs in this account and region', () => {
    const describe = postureStatements().find((s) =>
      actionsOf(s).includes('ecs:DescribeServices'),
    )!;
    expect(actionsOf(describe).sort()).toEqual(['ecs:DescribeServices', 'ecs:DescribeTasks']);
    expect(text(describe.Resource)).toMatch(/":service\/\*".*":task\/\*"/);
  });

  it("reads the watched repositories' policies on their ARNs only", () => {
    const reads = postureStatements().find((s) =>
      actionsOf(s).includes('ecr:GetRepositoryPolicy'),
    )!;
    expect(actionsOf(reads).sort()).toEqual(['ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy']);
    const resources = text(reads.Resource);
    for (const glob of ['repository/team-a/*', 'repository/base', 'repository/svc-??'])
      expect(resources).toContain(glob);
  });

  it('writes under posture/ only, reads the images table, and changes nothing in ECS or ECR', () => {
    const all = postureStatements();
    const put = all.find((s) => actionsOf(s).includes('s3:PutObject'))!;
    expect(text(put.Resource)).toContain('/posture/*');
    const actions = all.flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem']));
    expect(
      actions.filter((a) => /^(ecs|ecr):/.test(a) && !/^(ecs|ecr):(List|Describe|Get)/.test(a)),
    ).toEqual([]);
    expect(actions).not.toContain('dynamodb:PutItem');
  });
});

describe('the posture alarms', () => {
  it.each(['PostureFailedWorkloads', 'ImagesRunningWithoutPass', 'RegistryChecksFailed'])(
    'alarm on %s above 0 in a night, to the operations topic',
    (metric) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Clearance',
        MetricName: metric,
        Dimensions: [{ Name: 'service', Value: 'posture-scan' }],
        Period: 86_400,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [
          Match.objectLike({ Ref: Match.stringLikeRegexp('NotificationsOperations') }),
        ],
      });
    },
  );
});
