// Derive the facts of the operations the project uses from Klaviyo's OpenAPI document (npm run spec).
//
//   tsx tools/spec/cli.ts [--check] [path/to/stable.json]
//
// Writes src/operations.generated.ts and test/support/openapi-subset.json; with --check, only says
// whether the committed files are what the document gives (exit 1 when not).
import { readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../paths";
import { DOCUMENT_HINT, derivedFiles, findDocument, readDocument } from "./project";

function main(): number {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { check: { type: "boolean", default: false } } });
  const documentPath = positionals[0] ?? findDocument();
  if (!documentPath) {
    console.error(`No OpenAPI document to derive from: ${DOCUMENT_HINT}, or name it: npm run spec -- path/to/stable.json`);
    return 2;
  }
  let stale = 0;
  for (const { path, text } of derivedFiles(readDocument(documentPath))) {
    const name = relative(PROJECT_ROOT, path);
    const current = (() => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    })();
    if (current === text) {
      console.log(`${name}: up to date (${Buffer.byteLength(text)} bytes)`);
    } else if (values.check) {
      stale++;
      console.log(`${name}: differs from what ${documentPath} gives; run npm run spec and commit the result`);
    } else {
      writeFileSync(path, text);
      console.log(`${name}: written (${Buffer.byteLength(text)} bytes)`);
    }
  }
  return stale ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`spec: ${(error as Error).message}`);
  process.exitCode = 1;
}
