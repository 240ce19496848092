#!/usr/bin/env node
// What the page's JS heap gains over a soak: drives the playground as scripts/browser-soak.mjs does, takes a
// heap snapshot (CDP HeapProfiler) after the warm-up and another minutes later, each after the soak's own
// sampling routine (every view back on its link, paused, reset), and prints the object groups that grew:
// (type, name), count and bytes, then for the largest groups of objects that are new in the second
// snapshot, a few retainer paths (who holds them). A snapshot's node ids are stable within a page, so "new"
// is "an id the first snapshot did not have".
//
//   node scripts/heap-diff.mjs [--warmup 120] [--minutes 6] [--seed 1] [--top 25] [--save DIR]
//   --save DIR: keeps both .heapsnapshot files there (open them in DevTools' Memory tab)
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSite, launchBrowser, openPage } from '../tests/browser/harness.mjs';
import { Learner, READY, rng, watchWasmMemory } from './browser-soak.mjs';

function parseArgs(argv) {
  const opts = { warmup: 120, minutes: 6, seed: 1, top: 25, save: null };
  for (let i = 0; i < argv.length; ++i) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts)) throw new Error(`unknown argument ${argv[i]} (--warmup S, --minutes M, --seed N, --top N, --save DIR)`);
    opts[key] = key === 'save' ? argv[++i] : Number(argv[++i]);
  }
  return opts;
}

async function snapshot(cdp) {
  const chunks = [];
  const onChunk = (e) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  return chunks.join('');
}

/** The snapshot as arrays: per node its type, name, id, size and first edge; per edge its type, name, target. */
export function parse(text) {
  const s = JSON.parse(text);
  const { node_fields: nf, edge_fields: ef, node_types: nt, edge_types: et } = s.snapshot.meta;
  const N = nf.length;
  const E = ef.length;
  const count = s.nodes.length / N;
  const nodeTypes = nt[nf.indexOf('type')];
  const edgeTypes = et[ef.indexOf('type')];
  const node = { type: [], name: [], id: [], size: [], firstEdge: [] };
  let edge = 0;
  for (let i = 0; i < count; ++i) {
    const o = i * N;
    node.type.push(nodeTypes[s.nodes[o + nf.indexOf('type')]]);
    node.name.push(s.strings[s.nodes[o + nf.indexOf('name')]]);
    node.id.push(s.nodes[o + nf.indexOf('id')]);
    node.size.push(s.nodes[o + nf.indexOf('self_size')]);
    node.firstEdge.push(edge);
    edge += s.nodes[o + nf.indexOf('edge_count')] * E;
  }
  node.firstEdge.push(edge);
  // Retainers: for each node, the (from node, edge) pairs that point at it.
  const retainers = Array.from({ length: count }, () => []);
  for (let i = 0; i < count; ++i) {
    for (let e = node.firstEdge[i]; e < node.firstEdge[i + 1]; e += E) {
      const type = edgeTypes[s.edges[e + ef.indexOf('type')]];
      const nameOrIndex = s.edges[e + ef.indexOf('name_or_index')];
      const to = s.edges[e + ef.indexOf('to_node')] / N;
      const name = type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : s.strings[nameOrIndex];
      if (type !== 'weak') retainers[to].push({ from: i, type, name });
    }
  }
  return { node, retainers, count };
}

function groupKey(node, i) {
  const name = node.name[i];
  // Strings and numbers are grouped by type only (each distinct text is its own name).
  if (['string', 'concatenated string', 'sliced string', 'number', 'heap number'].includes(node.type[i])) return node.type[i];
  return `${node.type[i]} ${name.length > 60 ? `${name.slice(0, 57)}...` : name}`;
}

function groups(snap, filter = () => true) {
  const out = new Map();
  for (let i = 0; i < snap.count; ++i) {
    if (!filter(i)) continue;
    const key = groupKey(snap.node, i);
    const g = out.get(key) ?? { count: 0, bytes: 0, examples: [] };
    g.count += 1;
    g.bytes += snap.node.size[i];
    if (g.examples.length < 3) g.examples.push(i);
    out.set(key, g);
  }
  return out;
}

/** A shortest retainer path from a root to node i (breadth first over retainers), as text. */
function retainerPath(snap, i, maxDepth = 14) {
  const seen = new Set([i]);
  let frontier = [[i, []]];
  for (let depth = 0; depth < maxDepth && frontier.length; ++depth) {
    const next = [];
    for (const [n, path] of frontier) {
      for (const r of snap.retainers[n]) {
        if (seen.has(r.from)) continue;
        seen.add(r.from);
        const step = `${snap.node.type[r.from]} ${snap.node.name[r.from].slice(0, 50)} --${r.type}:${r.name}-->`;
        const p = [step, ...path];
        if (snap.node.type[r.from] === 'synthetic' || snap.retainers[r.from].length === 0) return p;
        next.push([r.from, p]);
      }
    }
    frontier = next;
  }
  return frontier.length ? ['...', ...frontier[0][1]] : ['(no retainer)'];
}

async function sampleRoutine(learner, others, home) {
  learner.action = 'sample';
  for (const hash of [...others, home]) await learner.go(hash);
  await learner.pause();
  await learner.reset();
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const site = await startSite();
  const browser = await launchBrowser();
  try {
    const { page, context, errors } = await openPage(browser, site, '#/playground', {
      waitFor: READY.playground,
      beforeLoad: (p) => p.addInitScript(watchWasmMemory),
    });
    page.setDefaultTimeout(120000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('Performance.enable');
    const learner = new Learner(page, rng(opts.seed));
    const others = [];
    for (const hash of ['#/explorer', '#/race', '#/lessons/1']) others.push(await learner.go(hash));
    const home = await learner.go('#/playground');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1048576;
    };
    const actFor = async (ms) => {
      const end = Date.now() + ms;
      let n = 0;
      while (Date.now() < end) {
        try {
          await learner.act();
        } catch (error) {
          // An action that failed is reported and the drive goes on: this script is about the heap.
          console.log(`action failed: ${error.message.split('\n')[0]}`);
        }
        ++n;
      }
      return n;
    };
    const t0 = Date.now();
    const a1 = await actFor(opts.warmup * 1000);
    await sampleRoutine(learner, others, home);
    const h1 = await heap();
    const text1 = await snapshot(cdp);
    console.log(`snapshot 1 at ${((Date.now() - t0) / 1000).toFixed(0)} s after ${a1} actions: heap ${h1.toFixed(2)} MB`);
    const a2 = await actFor(opts.minutes * 60000);
    await sampleRoutine(learner, others, home);
    const h2 = await heap();
    const text2 = await snapshot(cdp);
    console.log(`snapshot 2 at ${((Date.now() - t0) / 1000).toFixed(0)} s after ${a2} more actions: heap ${h2.toFixed(2)} MB`);
    if (errors.length) console.log(`page errors:\n  ${errors.join('\n  ')}`);
    if (opts.save) {
      await mkdir(opts.save, { recursive: true });
      await writeFile(join(opts.save, '1.heapsnapshot'), text1);
      await writeFile(join(opts.save, '2.heapsnapshot'), text2);
    }
    const s1 = parse(text1);
    const s2 = parse(text2);
    console.log(`nodes ${s1.count} -> ${s2.count}`);
    // JSHeapUsedSize is V8's heap: Blink's own objects (type native) are left out of the tables.
    const v8 = (snap) => (i) => snap.node.type[i] !== 'native';
    const g1 = groups(s1, v8(s1));
    const g2 = groups(s2, v8(s2));
    const rows = [...g2.entries()]
      .map(([key, g]) => ({ key, count: g.count - (g1.get(key)?.count ?? 0), bytes: g.bytes - (g1.get(key)?.bytes ?? 0) }))
      .concat([...g1.entries()].filter(([k]) => !g2.has(k)).map(([key, g]) => ({ key, count: -g.count, bytes: -g.bytes })))
      .sort((a, b) => b.bytes - a.bytes);
    const total = rows.reduce((s, r) => s + r.bytes, 0);
    console.log(`\nself size change ${(total / 1024).toFixed(1)} kB; the groups that grew most:`);
    for (const r of rows.slice(0, opts.top))
      console.log(`${String(r.count).padStart(7)} ${(r.bytes / 1024).toFixed(1).padStart(9)} kB  ${r.key}`);
    console.log('the groups that shrank most:');
    for (const r of rows.slice(-8)) console.log(`${String(r.count).padStart(7)} ${(r.bytes / 1024).toFixed(1).padStart(9)} kB  ${r.key}`);
    // Objects that are new in snapshot 2: who holds them.
    const old = new Set(s1.node.id);
    const fresh = [...groups(s2, (i) => v8(s2)(i) && !old.has(s2.node.id[i])).entries()].sort((a, b) => b[1].bytes - a[1].bytes);
    console.log(`\nnew objects (ids not in snapshot 1), largest groups, with a retainer path of one example each:`);
    for (const [key, g] of fresh.slice(0, 12)) {
      console.log(`${String(g.count).padStart(7)} ${(g.bytes / 1024).toFixed(1).padStart(9)} kB  ${key}`);
      for (const step of retainerPath(s2, g.examples[0])) console.log(`            ${step}`);
    }
    await context.close();
  } finally {
    await browser.close();
    await site.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
