// Lint Cypher statements with Neo4j's own Cypher front end (@neo4j-cypher/language-support).
//
// stdin:  {"statements": [{"name", "text", "params": [..]}], "schema": {labels,
//          relationshipTypes, propertyKeys, graphSchema}, "versions": ["CYPHER 5", ...]}
// stdout: [{"name", "version", "diagnostics": [{"severity", "message", "offsets"}]}]
//
// Procedures and functions are checked against the catalogue the package ships with its own
// tests (a dump of SHOW PROCEDURES / SHOW FUNCTIONS from a Neo4j 5 server with GDS and APOC),
// so a misspelt procedure, a wrong argument count or an unknown YIELD column is an error.
// Linting one statement takes a few hundred milliseconds, so the work is spread over worker
// threads (one per core, at most four).
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const require = createRequire(import.meta.url);
const entry = require.resolve('@neo4j-cypher/language-support');
const pkgRoot = path.resolve(path.dirname(entry), '..', '..');
const catalogue = path.join(pkgRoot, 'dist/esm/project/language-support/src/tests/testData.js');
if (!existsSync(catalogue)) {
  console.error(`procedure catalogue not found at ${catalogue}`);
  process.exit(2);
}
const { testData } = await import(pathToFileURL(catalogue).href);

function lintAll(input) {
  const results = [];
  for (const { version, st } of input.jobs) {
    const params = Object.fromEntries(st.params.map((p) => [p, null]));
    const dbSchema = {
      ...input.schema,
      parameters: params,
      functions: testData.mockSchema.functions,
      procedures: testData.mockSchema.procedures,
      defaultLanguage: version,
    };
    const { diagnostics } = lintCypherQuery(st.text, dbSchema);
    results.push({
      name: st.name,
      version,
      diagnostics: diagnostics.map((d) => ({
        severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info',
        message: d.message,
        offsets: d.offsets,
      })),
    });
  }
  return results;
}

if (isMainThread) {
  const input = JSON.parse(readFileSync(0, 'utf8'));
  const jobs = input.versions.flatMap((version) => input.statements.map((st) => ({ version, st })));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : 2;
  const n = Math.max(1, Math.min(4, cores, jobs.length));
  const shares = Array.from({ length: n }, (_, i) => jobs.filter((_, j) => j % n === i));
  const parts = await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), {
            workerData: { jobs: share, schema: input.schema },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  process.stdout.write(JSON.stringify(parts.flat()));
} else {
  parentPort.postMessage(lintAll(workerData));
}
