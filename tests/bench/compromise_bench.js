// Times the compromise NLP library (https://github.com/spencermountain/compromise) on the
// texts of the stancetrack benchmark, for the comparison issue 6 asks for.
//
// Usage: node compromise_bench.js NPM_PREFIX TEXTS.jsonl
//   NPM_PREFIX      the folder compromise was installed into (npm install --prefix NPM_PREFIX)
//   TEXTS.jsonl     one {"title": ..., "text": ...} object per line, written by bench.py
// For each document, one thread runs nlp(title + "\n\n" + text) and asks for its people,
// organizations and places. Reading the file and loading the library are not timed.
// Prints one JSON object: documents, bytes (UTF-8 of the texts), seconds, and the number of
// names found (so that the work cannot be skipped).
'use strict';

const fs = require('fs');

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write('usage: node compromise_bench.js NPM_PREFIX TEXTS.jsonl\n');
    return 2;
  }
  // By package name, so that Node picks the CommonJS build the package exports.
  const nlp = require(require.resolve('compromise', {paths: [argv[0]]}));
  const texts = fs.readFileSync(argv[1], 'utf8')
                    .split('\n')
                    .filter((line) => line.length > 0)
                    .map((line) => {
                      const doc = JSON.parse(line);
                      return doc.title + '\n\n' + doc.text;
                    });
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
  let names = 0;
  const start = process.hrtime.bigint();
  for (const text of texts) {
    const doc = nlp(text);
    names += doc.people().out('array').length;
    names += doc.organizations().out('array').length;
    names += doc.places().out('array').length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({documents: texts.length, bytes, seconds, names}) + '\n');
  return 0;
}

process.exitCode = main(process.argv.slice(2));
