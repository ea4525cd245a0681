import { knownGroup, vendorGroup } from '../../shared/analyzers/java-known';

describe('knownGroup', () => {
  it.each([
    ['commons-logging', 'commons-logging'],
    ['commons-lang3', 'org.apache.commons'],
    ['log4j', 'log4j'],
    ['log4j-core', 'org.apache.logging.log4j'],
    ['bson', 'org.mongodb'],
    ['spring-core', 'org.springframework'],
    ['tomcat-embed-core', 'org.apache.tomcat.embed'],
    ['xercesImpl', 'xerces'],
  ])('%s is published by %s alone', (artifact, group) => {
    expect(knownGroup(artifact)).toBe(group);
  });

  it.each(['postgresql', 'hibernate-core', 'groovy', 'okhttp', 'tomcat9-juli', 'app'])(
    'knows no single group for %s',
    (artifact) => {
      expect(knownGroup(artifact)).toBeUndefined();
    },
  );
});

describe('vendorGroup', () => {
  it.each([
    ['io.netty', 'io.netty'],
    ['commons-io', 'commons-io'],
    ['com.fasterxml.jackson.core', 'com.fasterxml.jackson.core'],
    ['org.apache', undefined],
    ['com.sun', undefined],
    ['The Apache Software Foundation', undefined],
    ['Org.Example', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (vendorId, group) => {
    expect(vendorGroup(vendorId)).toBe(group);
  });
});
