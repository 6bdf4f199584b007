// Parses Mermaid diagrams with Mermaid's own parser and prints, per file, whether it parsed and
// the graph Mermaid understood (vertices, edges, subgraphs) as JSON on standard output.
// Usage: node check.mjs FILE...   (castle's tests run it from .tools/mermaid, see fetch-tools.sh)
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

// Mermaid sanitises labels with DOMPurify, which needs a window; jsdom gives it one (no browser).
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const results = [];
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const vertices = db.getVertices ? [...db.getVertices().values()].map(v => ({ id: v.id, text: v.text, shape: v.type })) : [];
    const edges = db.getEdges ? db.getEdges().map(e => ({ start: e.start, end: e.end, text: e.text, stroke: e.stroke })) : [];
    const subgraphs = db.getSubGraphs ? db.getSubGraphs().map(s => ({ id: s.id, title: s.title, nodes: s.nodes })) : [];
    results.push({ file, ok: true, type: diagram.type, vertices, edges, subgraphs });
  } catch (e) {
    results.push({ file, ok: false, error: String(e && e.message ? e.message : e).split('\n').slice(0, 4).join(' | ') });
  }
}
process.stdout.write(JSON.stringify(results) + '\n');
