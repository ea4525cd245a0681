/** Secrets Manager's rotation steps (the rotators land with shared/rotation/). */
export const handler = (): Promise<never> =>
  Promise.reject(new Error('rotate-secret: the rotation steps are not deployed yet'));
