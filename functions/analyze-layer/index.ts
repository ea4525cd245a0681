// Placeholder until its helper wires it (issue 6, in progress): the CDK app needs the entry file.
export const handler = (): Promise<never> =>
  Promise.reject(new Error('analyze-layer is not wired yet'));
