import { HANDLER_METADATA, localDefinition } from '../../shared/local/definition';

const fn = (handler: string) => ({
  Type: 'AWS::Lambda::Function',
  Metadata: { [HANDLER_METADATA]: handler },
});

/** A template shaped as CDK writes one: the definition as an Fn::Join of strings and tokens. */
function templateWith(definition: unknown[], resources: Record<string, unknown> = {}) {
  return {
    Resources: {
      ResolveFn1A2B: fn('resolve'),
      AnalyzeFn3C4D: fn('analyze-layer'),
      ScanImageStateMachine9F8E: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { DefinitionString: { 'Fn::Join': ['', definition] } },
      },
      ...resources,
    },
  };
}

const MACHINE = [
  '{"StartAt":"Resolve","States":{"Resolve":{"Type":"Task","Resource":"',
  { 'Fn::GetAtt': ['ResolveFn1A2B', 'Arn'] },
  '","Next":"Layers"},"Layers":{"Type":"Map","ItemsPath":"$.layers","ItemProcessor":{"StartAt":"AnalyzeLayer","States":{"AnalyzeLayer":{"Type":"Task","Resource":"arn:',
  { Ref: 'AWS::Partition' },
  ':states:::lambda:invoke","Parameters":{"FunctionName":"',
  { 'Fn::GetAtt': ['AnalyzeFn3C4D', 'Arn'] },
  '","Payload.$":"$"},"End":true}}},"End":true}}}',
];

describe('localDefinition', () => {
  describe('when the template holds the state machine', () => {
    it('resolves its tokens to local ARNs', () => {
      const { definition } = localDefinition(templateWith(MACHINE), 'ScanImage');
      const states = definition.States as Record<string, Record<string, unknown>>;
      expect(states.Resolve!.Resource).toBe(
        'arn:aws:lambda:local:000000000000:function:ResolveFn1A2B',
      );
    });

    it('names the handler of every Task, nested ones included', () => {
      const { tasks } = localDefinition(templateWith(MACHINE), 'ScanImage');
      expect([...tasks]).toEqual([
        ['Resolve', 'resolve'],
        ['AnalyzeLayer', 'analyze-layer'],
      ]);
    });
  });

  it('fails when the template has no such state machine', () => {
    expect(() => localDefinition(templateWith(MACHINE), 'FleetScan')).toThrow(
      'the template has no state machine FleetScan',
    );
  });

  it('fails when a Task runs something that is no Clearance function', () => {
    const sns = [
      '{"StartAt":"Publish","States":{"Publish":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","End":true}}}',
    ];
    expect(() => localDefinition(templateWith(sns), 'ScanImage')).toThrow(
      'task state Publish runs arn:aws:states:::sns:publish, which is no Clearance function',
    );
  });

  it('fails when a token cannot be resolved locally', () => {
    const imported = ['{"StartAt":"', { 'Fn::ImportValue': 'Elsewhere' }, '"}'];
    expect(() => localDefinition(templateWith(imported), 'ScanImage')).toThrow(
      'cannot resolve a token of the definition locally',
    );
  });
});
