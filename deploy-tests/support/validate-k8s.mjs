// Validates Kubernetes objects against the API schemas with kubernetes-models
// (ESM-only, hence a child process of the Jest tests rather than an import):
//   kubectl kustomize k8s | node deploy-tests/support/validate-k8s.mjs
// Prints a JSON array of failures; empty when every object is valid.
import { parseAllDocuments } from 'yaml';

const input = await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => (text += chunk));
  process.stdin.on('end', () => resolve(text));
});

const failures = [];
for (const document of parseAllDocuments(input)) {
  const object = document.toJSON();
  // kustomize wraps long base64 values over lines; the API server's decoder
  // skips line breaks, kubernetes-models' `byte` format does not.
  if (object.kind === 'Secret' && object.data)
    for (const key of Object.keys(object.data)) object.data[key] = object.data[key].replace(/\s+/g, '');
  const where = `${object.kind}/${object.metadata?.name}`;
  let Model;
  try {
    Model = (await import(`kubernetes-models/${object.apiVersion}`))[object.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    failures.push(`${where}: kubernetes-models has no ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    failures.push(`${where}: ${error.message}`);
  }
}
process.stdout.write(JSON.stringify(failures));
