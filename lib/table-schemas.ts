import type {
  AttributeDefinition,
  GlobalSecondaryIndex,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import {
  AUDIT_TABLE_ATTRIBUTES,
  AUDIT_TABLE_INDEXES,
  AUDIT_TABLE_KEY_SCHEMA,
} from '../shared/aws/dynamodb';
import {
  IDEMPOTENCY_TABLE_ATTRIBUTES,
  IDEMPOTENCY_TABLE_KEY_SCHEMA,
  IDEMPOTENCY_TABLE_TTL_ATTRIBUTE,
} from '../shared/aws/dynamodb';
import {
  IMAGES_TABLE_ATTRIBUTES,
  IMAGES_TABLE_KEY_SCHEMA,
  IMAGES_TABLE_TTL_ATTRIBUTE,
} from '../shared/aws/dynamodb';
import {
  VULNERABILITY_TABLE_ATTRIBUTES,
  VULNERABILITY_TABLE_KEY_SCHEMA,
} from '../shared/aws/dynamodb';

/*
 * Each table as its adapter in shared/aws declares it (keys, indexes, TTL attribute), so that
 * the deployed tables and the ones the tests create on dynalite cannot drift apart.
 */

/** A table's shape in the DynamoDB API's own terms. */
export interface TableSchema {
  readonly keySchema: readonly KeySchemaElement[];
  readonly attributes: readonly AttributeDefinition[];
  readonly indexes?: readonly GlobalSecondaryIndex[];
  readonly ttlAttribute?: string;
}

export const TABLE_SCHEMAS = {
  images: {
    keySchema: IMAGES_TABLE_KEY_SCHEMA,
    attributes: IMAGES_TABLE_ATTRIBUTES,
    ttlAttribute: IMAGES_TABLE_TTL_ATTRIBUTE,
  },
  audit: {
    keySchema: AUDIT_TABLE_KEY_SCHEMA,
    attributes: AUDIT_TABLE_ATTRIBUTES,
    indexes: AUDIT_TABLE_INDEXES,
  },
  vulnerabilities: {
    keySchema: VULNERABILITY_TABLE_KEY_SCHEMA,
    attributes: VULNERABILITY_TABLE_ATTRIBUTES,
  },
  idempotency: {
    keySchema: IDEMPOTENCY_TABLE_KEY_SCHEMA,
    attributes: IDEMPOTENCY_TABLE_ATTRIBUTES,
    ttlAttribute: IDEMPOTENCY_TABLE_TTL_ATTRIBUTE,
  },
} as const satisfies Record<string, TableSchema>;

/** The key (`HASH`, `RANGE`) of a key schema as CDK attributes. */
export interface CdkKeys {
  readonly partitionKey: dynamodb.Attribute;
  readonly sortKey?: dynamodb.Attribute;
}

export function cdkKeys(
  keySchema: readonly KeySchemaElement[],
  attributes: readonly AttributeDefinition[],
): CdkKeys {
  const attribute = (keyType: 'HASH' | 'RANGE'): dynamodb.Attribute | undefined => {
    const name = keySchema.find((key) => key.KeyType === keyType)?.AttributeName;
    if (name === undefined) return undefined;
    const definition = attributes.find((a) => a.AttributeName === name);
    const type = ATTRIBUTE_TYPES[definition?.AttributeType ?? ''];
    if (type === undefined)
      throw new Error(`key attribute ${name}: expected a definition of type S, N or B`);
    return { name, type };
  };
  const partitionKey = attribute('HASH');
  if (partitionKey === undefined) throw new Error('key schema: expected a HASH key, got none');
  const sortKey = attribute('RANGE');
  return sortKey === undefined ? { partitionKey } : { partitionKey, sortKey };
}

const ATTRIBUTE_TYPES: Readonly<Record<string, dynamodb.AttributeType | undefined>> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};
