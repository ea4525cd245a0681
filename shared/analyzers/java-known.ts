/**
 * What names a Maven group when an archive has no `pom.properties` (Gradle, Ant and distribution
 * builds write none): a short table of well-known artifacts, each published under one group only,
 * and the organisation-wide `Implementation-Vendor-Id` values that name no group.
 */

/** Group id → artifact ids published under it alone (no other group publishes these names). */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  // Apache Commons' older components kept a group equal to their artifact id.
  ...Object.fromEntries(
    [
      'commons-beanutils',
      'commons-cli',
      'commons-codec',
      'commons-collections',
      'commons-dbcp',
      'commons-digester',
      'commons-fileupload',
      'commons-httpclient',
      'commons-io',
      'commons-lang',
      'commons-net',
      'commons-pool',
      'commons-validator',
    ].map((artifact) => [artifact, [artifact]]),
  ),
  'commons-logging': ['commons-logging', 'commons-logging-adapters', 'commons-logging-api'],
  xerces: ['xercesImpl'],
  'xml-apis': ['xml-apis', 'xml-apis-ext'],
  'xml-resolver': ['xml-resolver'],
  'org.apache.commons': [
    'commons-collections4',
    'commons-compress',
    'commons-configuration2',
    'commons-csv',
    'commons-dbcp2',
    'commons-email',
    'commons-exec',
    'commons-lang3',
    'commons-math3',
    'commons-pool2',
    'commons-text',
    'commons-vfs2',
  ],
  log4j: ['log4j'],
  'org.apache.logging.log4j': [
    'log4j-1.2-api',
    'log4j-api',
    'log4j-core',
    'log4j-jcl',
    'log4j-jul',
    'log4j-slf4j-impl',
    'log4j-slf4j2-impl',
    'log4j-to-slf4j',
    'log4j-web',
  ],
  'org.slf4j': [
    'jcl-over-slf4j',
    'jul-to-slf4j',
    'log4j-over-slf4j',
    'slf4j-api',
    'slf4j-jdk14',
    'slf4j-log4j12',
    'slf4j-nop',
    'slf4j-reload4j',
    'slf4j-simple',
  ],
  'ch.qos.logback': ['logback-access', 'logback-classic', 'logback-core'],
  'ch.qos.reload4j': ['reload4j'],
  'org.mongodb': [
    'bson',
    'bson-record-codec',
    'mongo-java-driver',
    'mongodb-driver',
    'mongodb-driver-async',
    'mongodb-driver-core',
    'mongodb-driver-legacy',
    'mongodb-driver-reactivestreams',
    'mongodb-driver-sync',
  ],
  'org.apache.tomcat.embed': [
    'tomcat-embed-core',
    'tomcat-embed-el',
    'tomcat-embed-jasper',
    'tomcat-embed-websocket',
  ],
  'org.bouncycastle': [
    'bcpg-jdk18on',
    'bcpkix-jdk15on',
    'bcpkix-jdk18on',
    'bcprov-ext-jdk15on',
    'bcprov-jdk15on',
    'bcprov-jdk18on',
    'bcutil-jdk15on',
    'bcutil-jdk18on',
  ],
  // Spring is built with Gradle: its jars carry no pom.properties.
  'org.springframework': [
    'spring-aop',
    'spring-aspects',
    'spring-beans',
    'spring-context',
    'spring-context-support',
    'spring-core',
    'spring-expression',
    'spring-instrument',
    'spring-jcl',
    'spring-jdbc',
    'spring-jms',
    'spring-messaging',
    'spring-orm',
    'spring-oxm',
    'spring-r2dbc',
    'spring-test',
    'spring-tx',
    'spring-web',
    'spring-webflux',
    'spring-webmvc',
    'spring-websocket',
  ],
  'org.springframework.boot': [
    'spring-boot',
    'spring-boot-actuator',
    'spring-boot-actuator-autoconfigure',
    'spring-boot-autoconfigure',
    'spring-boot-devtools',
    'spring-boot-loader',
  ],
  'org.springframework.security': [
    'spring-security-config',
    'spring-security-core',
    'spring-security-crypto',
    'spring-security-oauth2-client',
    'spring-security-oauth2-core',
    'spring-security-oauth2-jose',
    'spring-security-oauth2-resource-server',
    'spring-security-web',
  ],
  'org.jetbrains.kotlin': [
    'kotlin-reflect',
    'kotlin-stdlib',
    'kotlin-stdlib-common',
    'kotlin-stdlib-jdk7',
    'kotlin-stdlib-jdk8',
  ],
  'org.jetbrains.kotlinx': ['kotlinx-coroutines-core', 'kotlinx-coroutines-core-jvm'],
  'com.squareup.okio': ['okio', 'okio-jvm'],
  'io.micrometer': ['micrometer-commons', 'micrometer-core', 'micrometer-observation'],
  'io.projectreactor': ['reactor-core'],
  'io.projectreactor.netty': ['reactor-netty-core', 'reactor-netty-http'],
  'com.google.protobuf': ['protobuf-java', 'protobuf-java-util'],
  'io.grpc': [
    'grpc-api',
    'grpc-context',
    'grpc-core',
    'grpc-netty',
    'grpc-netty-shaded',
    'grpc-protobuf',
    'grpc-protobuf-lite',
    'grpc-stub',
    'grpc-util',
  ],
  'com.github.ben-manes.caffeine': ['caffeine'],
  'org.yaml': ['snakeyaml'],
  'com.google.guava': ['guava'],
  'com.google.code.gson': ['gson'],
  'com.h2database': ['h2'],
};

const BY_ARTIFACT: ReadonlyMap<string, string> = new Map(
  Object.entries(GROUPS).flatMap(([group, artifacts]) => artifacts.map((a) => [a, group])),
);

/**
 * Apache Tomcat's build names every jar's OSGi bundle `org.apache.tomcat-<name>` for the Maven
 * artifact `org.apache.tomcat:tomcat-<name>` (catalina.jar is `org.apache.tomcat-catalina`,
 * `tomcat-catalina`; servlet-api.jar `tomcat-servlet-api`). The distribution's jars carry no
 * pom.properties, and its file names no version.
 */
const TOMCAT_BUNDLE = /^org\.apache\.tomcat-([a-z0-9][a-z0-9-]*)$/;

/** Group and artifact a build convention names in the manifest (Tomcat's), when one does. */
export function conventionIdentity(
  manifest: ReadonlyMap<string, string>,
): { group: string; artifact: string } | undefined {
  const bundle = manifest.get('Bundle-SymbolicName')?.split(';')[0]?.trim();
  const tomcat = bundle === undefined ? null : TOMCAT_BUNDLE.exec(bundle);
  return tomcat ? { group: 'org.apache.tomcat', artifact: `tomcat-${tomcat[1]!}` } : undefined;
}

/** The one group that publishes `artifact`, when the table knows it. */
export function knownGroup(artifact: string): string | undefined {
  return BY_ARTIFACT.get(artifact);
}

/**
 * `Implementation-Vendor-Id` values that name an organisation, not a group: Apache's parent POMs
 * write `org.apache` into every project's manifest (commons-logging's group is `commons-logging`,
 * httpclient's `org.apache.httpcomponents`), Sun and Oracle wrote `com.sun`, and so on.
 */
const ORGANISATIONS: ReadonlySet<string> = new Set([
  'com.google',
  'com.ibm',
  'com.oracle',
  'com.sun',
  'javax',
  'org.apache',
  'org.eclipse',
  'org.glassfish',
  'org.jboss',
  'org.ow2',
  'org.springframework',
]);

/** A Maven group id: dot-separated lower-case names (https://maven.apache.org/guides/mini/guide-naming-conventions.html). */
const GROUP_ID = /^[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$/;

/** `Implementation-Vendor-Id` as a group, when it reads as one and is no organisation's id. */
export function vendorGroup(vendorId: string | undefined): string | undefined {
  if (vendorId === undefined || !GROUP_ID.test(vendorId) || ORGANISATIONS.has(vendorId))
    return undefined;
  return vendorId;
}
