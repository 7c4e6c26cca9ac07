// What every benchmark reports beside its figures: the machine, and how busy other processes kept it meanwhile.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import ort from 'onnxruntime-node';

export interface Machine { cpu: string; cores: number; platform: string; node: string; onnxruntime: string }

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    onnxruntime: ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown',
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** CPU busy time of the whole machine (all cores), in µs; undefined off Linux. */
function machineBusyUs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...
    const busy = fields[0]! + fields[1]! + fields[2]! + fields[5]! + fields[6]! + fields[7]!;
    return (busy * 1e6) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/**
 * Starts watching; the returned function gives the average number of cores other processes kept busy meanwhile.
 * `children` gives the CPU time (µs, cumulative) of the benchmark's own child processes, which are not "other".
 */
export function watchOtherLoad(children: () => number = () => 0): () => number | undefined {
  const busy0 = machineBusyUs();
  const own0 = process.cpuUsage();
  const children0 = children();
  const t0 = process.hrtime.bigint();
  return () => {
    const busy1 = machineBusyUs();
    if (busy0 === undefined || busy1 === undefined) return undefined;
    const own = process.cpuUsage(own0);
    const wallUs = Number(process.hrtime.bigint() - t0) / 1e3;
    return Math.max(0, (busy1 - busy0 - own.user - own.system - (children() - children0)) / wallUs);
  };
}
