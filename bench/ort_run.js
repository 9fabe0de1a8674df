// Times one model in ONNX Runtime (npm onnxruntime-node, CPU provider).
//
// usage: node ort_run.js MODEL.onnx --threads T --repeat N
//            [--shape NAME=DxD..]... [--rounds R]
//
// Inputs are random (float) or ones (integer ids, so they stay in range);
// dims not given by --shape are taken from the model, symbolic ones as 1.
// Prints one line per round: "median <t> ms (min <t>, max <t>, N runs)",
// the format of llmos executables' --repeat, so one parser reads both.
// ORT_NODE_MODULES names the node_modules folder holding onnxruntime-node.
'use strict';
const path = require('path');
const modules = process.env.ORT_NODE_MODULES || path.join(__dirname, 'node_modules');
const ort = require(path.join(modules, 'onnxruntime-node'));

function parseArgs(argv) {
  const opts = { model: null, threads: 1, repeat: 20, rounds: 1, shapes: {} };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--threads') opts.threads = Number(argv[++i]);
    else if (a === '--repeat') opts.repeat = Number(argv[++i]);
    else if (a === '--rounds') opts.rounds = Number(argv[++i]);
    else if (a === '--shape') {
      const [name, dims] = argv[++i].split('=');
      opts.shapes[name] = dims.split('x').map(Number);
    } else if (!opts.model) opts.model = a;
    else throw new Error(`unexpected argument '${a}'`);
  }
  if (!opts.model) throw new Error('usage: node ort_run.js MODEL.onnx [options]');
  return opts;
}

function makeInput(meta, shape) {
  const size = shape.reduce((a, b) => a * b, 1);
  if (meta.type === 'float32') {
    const data = new Float32Array(size);
    for (let i = 0; i < size; ++i) data[i] = Math.random() * 2 - 1;
    return new ort.Tensor('float32', data, shape);
  }
  if (meta.type === 'int64')
    return new ort.Tensor('int64', new BigInt64Array(size).fill(1n), shape);
  if (meta.type === 'int32')
    return new ort.Tensor('int32', new Int32Array(size).fill(1), shape);
  throw new Error(`input '${meta.name}': unsupported type ${meta.type}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const session = await ort.InferenceSession.create(opts.model, {
    intraOpNumThreads: opts.threads, interOpNumThreads: 1,
    executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const feeds = {};
  for (const meta of session.inputMetadata) {
    const shape = opts.shapes[meta.name] ||
        meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    feeds[meta.name] = makeInput(meta, shape);
  }
  await session.run(feeds); // warm-up
  for (let r = 0; r < opts.rounds; ++r) {
    const times = [];
    for (let i = 0; i < opts.repeat; ++i) {
      const start = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const n = times.length;
    const median = n % 2 ? times[(n - 1) / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    console.log(`median ${median.toFixed(3)} ms (min ${times[0].toFixed(3)}, ` +
                `max ${times[n - 1].toFixed(3)}, ${n} runs)`);
  }
}

main().catch((e) => { console.error(`ort_run: ${e.message}`); process.exit(1); });
