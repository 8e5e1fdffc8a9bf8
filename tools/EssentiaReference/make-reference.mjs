// Makes tests/TestData/reference/musicnn.essentia.json: MusiCNN log-mel frames and activations computed
// independently of our code, by Essentia's own algorithms (essentia.js, Essentia's C++ compiled to WebAssembly) for
// the input and ONNX Runtime for Node for the models. See README.md for what each step stands in for.
//
//   node make-reference.mjs <shared dir> <output json>
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import essentiaPackage from 'essentia.js';
import * as ort from 'onnxruntime-node';

const [sharedDir = '../../../shared', outputPath = '../../tests/TestData/reference/musicnn.essentia.json'] = process.argv.slice(2);
const { Essentia, EssentiaWASM } = essentiaPackage;
const essentia = new Essentia(EssentiaWASM);

const RATE = 16000, FRAME = 512, HOP = 256, BANDS = 96, PATCH = 187;
const MODELS = ['msd-musicnn-1', 'mood_happy-musicnn-msd-2', 'mood_sad-musicnn-msd-2', 'mood_relaxed-musicnn-msd-2',
  'mood_aggressive-musicnn-msd-2', 'danceability-musicnn-msd-2'];
const CLIPS = ['singularity-coherence-30s', 'singularity-media-threat-30s', 'singularity-nebula-30s'];
const round = (v) => Number(v.toPrecision(6));

/** The generated test signal (the C# tests make the same one): a 440 Hz tone, a 50 Hz → 7.9 kHz chirp and LCG noise. */
function generatedSignal() {
  const seconds = 30, n = RATE * seconds, x = new Float32Array(n);
  let state = 12345;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const noise = (state / 4294967296) * 2 - 1;
    const t = i / RATE;
    const chirpPhase = 2 * Math.PI * (50 * t + ((7900 - 50) / (2 * seconds)) * t * t);
    x[i] = 0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.25 * Math.sin(chirpPhase) + 0.05 * noise;
  }
  return x;
}

/** Essentia's MonoLoader(sampleRate=16000): FFmpeg decode, mean of the channels, libsamplerate at quality 1 (medium sinc). */
function loadMono16k(file, work) {
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries',
    'stream=sample_rate,channels', '-of', 'json', file]).toString()).streams[0];
  const rate = Number(probe.sample_rate), channels = Number(probe.channels);
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-map', '0:a:0', '-f', 'f32le',
    '-acodec', 'pcm_f32le', 'pipe:1'], { maxBuffer: 1 << 30 });
  const interleaved = new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4);
  const frames = interleaved.length / channels, mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c];
    mono[i] = sum / channels;
  }
  const input = join(work, 'mono.raw'), output = join(work, 'mono16k.raw');
  writeFileSync(input, Buffer.from(mono.buffer));
  execFileSync('sndfile-resample', ['-to', String(RATE), '-c', '1', '--no-normalize', '-r', `${rate},1,f,32`, input, output]);
  const resampled = readFileSync(output);
  return { rate, channels, signal: new Float32Array(resampled.buffer.slice(resampled.byteOffset, resampled.byteOffset + resampled.byteLength)) };
}

/** Essentia's FrameCutter with its defaults (as TensorflowPredictMusiCNN configures it) feeding TensorflowInputMusiCNN. */
function melFrames(signal) {
  const frames = essentia.FrameGenerator(signal, FRAME, HOP);
  const result = [];
  for (let i = 0; i < frames.size(); i++) {
    const bands = essentia.TensorflowInputMusiCNN(frames.get(i)).bands;
    result.push(essentia.vectorToArray(bands));
    bands.delete();
  }
  frames.delete();
  return result;
}

/** Complete 187-frame patches, hop 187 (a last partial patch discarded, Essentia's default); mean activations per model. */
async function activations(frames, sessions) {
  const patches = Math.floor(frames.length / PATCH);
  const means = {};
  for (const [name, session] of Object.entries(sessions)) {
    let sum = null;
    for (let p = 0; p < patches; p++) {
      const input = new Float32Array(PATCH * BANDS);
      for (let f = 0; f < PATCH; f++) input.set(frames[p * PATCH + f], f * BANDS);
      const output = (await session.run({ melspectrogram: new ort.Tensor('float32', input, [1, PATCH, BANDS]) })).activations.data;
      sum = sum ?? new Float64Array(output.length);
      output.forEach((v, i) => { sum[i] += v; });
    }
    means[name] = Array.from(sum, (v) => round(v / patches));
  }
  return { patches, means };
}

function summary(frames, keep) {
  const bandMeans = new Float64Array(BANDS);
  for (const frame of frames) frame.forEach((v, b) => { bandMeans[b] += v / frames.length; });
  return {
    frames: frames.length,
    bandMeans: Array.from(bandMeans, round),
    selectedFrames: Object.fromEntries(keep.filter((i) => i < frames.length).map((i) => [i, Array.from(frames[i], round)])),
  };
}

const sessions = {};
for (const name of MODELS) sessions[name] = await ort.InferenceSession.create(join(sharedDir, 'models', `${name}.onnx`));

const work = mkdtempSync(join(tmpdir(), 'musicnn-ref-'));
const reference = {
  generator: 'tools/EssentiaReference/make-reference.mjs',
  tools: { 'essentia.js': '0.1.3', 'onnxruntime-node': '1.30.0', libsamplerate: execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libsamplerate0']).toString() },
  signals: {},
};
try {
  const generated = generatedSignal();
  const frames = melFrames(generated);
  const act = await activations(frames, sessions);
  reference.signals['generated-tone-chirp-noise'] = { samples16k: generated.length, ...summary(frames, [0, 1, 2, 93, 500, 1000, 1873, frames.length - 1]), patches: act.patches, activations: act.means };
  for (const clip of CLIPS) {
    const file = join(sharedDir, 'audio', `${clip}.ogg`);
    const { rate, channels, signal } = loadMono16k(file, work);
    const clipFrames = melFrames(signal);
    const clipAct = await activations(clipFrames, sessions);
    reference.signals[clip] = {
      file: `audio/${clip}.ogg`,
      sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
      sourceRate: rate, sourceChannels: channels, samples16k: signal.length,
      ...summary(clipFrames, [0, 1, 100, 1000]), patches: clipAct.patches, activations: clipAct.means,
    };
    console.error(`${clip}: ${signal.length} samples, ${clipFrames.length} frames, ${clipAct.patches} patches`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(outputPath, JSON.stringify(reference, null, 1) + '\n');
console.error(`wrote ${outputPath}`);
