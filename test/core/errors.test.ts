import {
  ClearanceError,
  CodedError,
  isClearanceError,
  type ErrorKind,
} from '../../shared/core/errors';

type ExampleCode = 'FIRST' | 'SECOND';

class ExampleError extends CodedError<ExampleCode> {}

class BugByDefaultError extends CodedError<ExampleCode> {
  static override readonly defaultKind: ErrorKind = 'bug';
}

describe('CodedError', () => {
  const cause = new Error('underneath');

  describe('when a throw names only its code and message', () => {
    it('is of the class’s default kind, named after the class, without a cause', () => {
      const error = new ExampleError('FIRST', 'expected x, got y');
      expect(error).toBeInstanceOf(ExampleError);
      expect(isClearanceError(error)).toBe(true);
      expect(error).toMatchObject({ name: 'ExampleError', code: 'FIRST', kind: 'input' });
      expect(error.message).toBe('expected x, got y');
      expect('cause' in error).toBe(false);
      expect(new BugByDefaultError('SECOND', 'm').kind).toBe('bug');
    });
  });

  describe('when a throw names its kind', () => {
    it('takes it after the message, with the cause after it', () => {
      const error = new ExampleError('SECOND', 'm', 'transient', { cause });
      expect(error).toMatchObject({ code: 'SECOND', kind: 'transient', cause });
      expect(new BugByDefaultError('FIRST', 'm', undefined, { cause }).kind).toBe('bug');
    });

    it('takes it in the options, beside the cause', () => {
      expect(new ExampleError('FIRST', 'm', { cause, kind: 'bug' })).toMatchObject({
        kind: 'bug',
        cause,
      });
      expect(new BugByDefaultError('FIRST', 'm', { cause }).kind).toBe('bug');
    });
  });
});

describe('ClearanceError', () => {
  it('types the codes of a class that fixes its own', () => {
    class FixedError extends ClearanceError<'FIXED'> {
      readonly code = 'FIXED';
      readonly kind: ErrorKind = 'input';
    }
    const error = new FixedError('m', { cause: 'why' });
    expect(error).toMatchObject({ name: 'FixedError', code: 'FIXED', kind: 'input', cause: 'why' });
  });
});
