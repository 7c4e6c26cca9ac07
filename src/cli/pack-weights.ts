// `tsnn pack-weights TENSOR... --out FILE`: tensors from .npy files (name=file.npy, or file.npy named by its stem)
// and .safetensors files (every tensor in them) → one headered weights file and its manifest.
import { basename, extname } from 'node:path';
import { readNpy } from '../format/npy.js';
import { SafetensorsWeights } from '../format/safetensors.js';
import { stemOf } from '../format/io.js';
import { writeWeights, type TensorData } from '../format/weights.js';
import { readDataFile, UsageError } from './common.js';

export function packWeightsCommand(sources: string[], opts: { out: string; manifest?: string }): void {
  if (sources.length === 0) throw new UsageError('pack-weights needs at least one tensor source (name=file.npy, file.npy or file.safetensors)');
  const manifest = opts.manifest ?? `${stemOf(opts.out)}.manifest.json`;
  const names = new Set<string>();
  const claim = (name: string) => {
    if (names.has(name)) throw new UsageError(`tensor '${name}' is given twice`);
    names.add(name);
    return name;
  };
  // Generated lazily so only one tensor is in memory at a time.
  function* tensors(): Generator<[string, TensorData]> {
    for (const src of sources) {
      const eq = src.indexOf('=');
      const [name, path] = eq > 0 ? [src.slice(0, eq), src.slice(eq + 1)] : [undefined, src];
      if (extname(path).toLowerCase() === '.safetensors') {
        if (name) throw new UsageError(`${src}: a .safetensors file brings its own tensor names; give it without name=`);
        const st = new SafetensorsWeights(path);
        try {
          for (const key of st.keys()) {
            const info = st.info(key)!;
            yield [claim(key), { dataType: info.dataType, shape: info.shape, bytes: st.read(key) }];
          }
        } finally {
          st.close();
        }
      } else if (extname(path).toLowerCase() === '.npy') {
        yield [claim(name ?? basename(path, '.npy')), readNpy(new Uint8Array(readDataFile(path)), path)];
      } else {
        throw new UsageError(`${src}: expected name=file.npy, file.npy or file.safetensors`);
      }
    }
  }
  const m = writeWeights(opts.out, manifest, tensors());
  const total = Object.values(m.tensors).reduce((s, t) => s + t.byteLength, 0);
  console.log(`wrote ${opts.out} (${Object.keys(m.tensors).length} tensors, ${total} bytes) and ${manifest}`);
}
