import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  IMAGES_TABLE_ATTRIBUTES,
  IMAGES_TABLE_KEY_SCHEMA,
} from '../../shared/aws/dynamodb/verdict-store';
import { LocalStateError, startLocalDynamoDb } from '../../shared/local/dynamodb';
import { rejection } from '../support/read';
import { BROKEN_STATES, holdLevelDbLock } from '../support/state-dirs';
import { useTempDir } from '../support/temp';

jest.setTimeout(30_000);

const TABLES = [
  { name: 'images', keySchema: IMAGES_TABLE_KEY_SCHEMA, attributes: IMAGES_TABLE_ATTRIBUTES },
];

describe('startLocalDynamoDb', () => {
  const dir = useTempDir();
  const state = () => join(dir(), 'state');
  const tables = () => join(state(), 'dynamodb');

  describe('when the state directory is new', () => {
    it('makes it and the tables, and opens it again after', async () => {
      for (let run = 0; run < 2; run++) {
        const dynamodb = await startLocalDynamoDb(tables(), TABLES);
        const listed = await dynamodb.client.send(new ListTablesCommand({}));
        expect(listed.TableNames).toEqual(['images']);
        await dynamodb.close();
      }
    });
  });

  describe.each(BROKEN_STATES)('when %s', (_, breakState, message) => {
    it('fails with a LocalStateError saying what to do', async () => {
      breakState(state());
      const error = await rejection(startLocalDynamoDb(tables(), TABLES));
      expect(error).toBeInstanceOf(LocalStateError);
      expect(error).toMatchObject({ code: 'LOCAL_STATE_UNAVAILABLE', kind: 'input' });
      expect(error.message).toMatch(message);
    });
  });

  describe('when the state directory is a file', () => {
    it('fails with a LocalStateError naming it', async () => {
      mkdirSync(dir(), { recursive: true });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(state(), 'x');
      const error = await rejection(startLocalDynamoDb(tables(), TABLES));
      expect(error).toMatchObject({ code: 'LOCAL_STATE_UNAVAILABLE', kind: 'input' });
      expect(error.message).toContain(`a file stands where the directory ${state()}`);
    });
  });

  describe('when another process holds the tables', () => {
    it('fails with a transient LocalStateError, and opens them once they are released', async () => {
      const holder = await holdLevelDbLock(tables());
      try {
        const error = await rejection(startLocalDynamoDb(tables(), TABLES));
        expect(error).toMatchObject({ code: 'LOCAL_STATE_UNAVAILABLE', kind: 'transient' });
        expect(error.message).toMatch(/are locked; another clearance process .* is using them/);
      } finally {
        await holder.release();
      }
      await (await startLocalDynamoDb(tables(), TABLES)).close();
    });
  });

  describe('when this process holds the tables already', () => {
    it('fails with a LocalStateError instead of a second dynalite crashing', async () => {
      const first = await startLocalDynamoDb(tables(), TABLES);
      try {
        const error = await rejection(startLocalDynamoDb(tables(), TABLES));
        expect(error).toMatchObject({ code: 'LOCAL_STATE_UNAVAILABLE' });
      } finally {
        await first.close();
      }
    });
  });
});
