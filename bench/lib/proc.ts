/**
 * Linux /proc readings for processes the bench started (CPU time, RSS) and for the whole machine.
 * CPU times are in clock ticks of 1/100 s (CLK_TCK is 100 on Linux x86_64).
 */
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

const TICKS_PER_SECOND = 100;

/**
 * user + system CPU seconds used so far by `pid` (all its threads), or by its thread `tid` alone (the
 * main thread's id is the pid: a Node server's event loop), or null when it is gone.
 */
export function processCpuSeconds(pid: number, tid?: number): number | null {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, "utf8");
    // The command name may contain spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident set size in MB, or null when the process is gone. */
export function processRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Busy and total jiffies of all CPUs together, from the first line of /proc/stat. */
export function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

export interface MachineFacts {
  cores: number;
  model: string;
  node: string;
  memoryGb: number;
  loadAverage: string;
  kernel: string;
}

export function machineFacts(): MachineFacts {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  const memTotal = Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0);
  let kernel = "unknown";
  try {
    kernel = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  } catch {
    // not Linux
  }
  return {
    cores: cpus().length,
    model,
    node: process.version,
    memoryGb: Math.round((memTotal / 1024 / 1024) * 10) / 10,
    loadAverage: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
    kernel,
  };
}

/** Pids of every process whose command name is `name` (e.g. the Postgres server and its backends). */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * Measures a window: CPU % of each watched process or group of processes (100 = one core; a group
 * counts the processes alive at both ends), machine busy % (100 = all cores), RSS at the end (of a
 * group: the sum). Start it, run the load, call `stop()`.
 */
export function cpuWindow(pids: Record<string, number | number[]>) {
  const startedAt = performance.now();
  const machineStart = machineJiffies();
  const groups = Object.entries(pids).map(([name, value]) => [name, Array.isArray(value) ? value : [value]] as const);
  const start = new Map<number, number | null>();
  for (const [, list] of groups) for (const pid of list) start.set(pid, processCpuSeconds(pid));
  return {
    stop() {
      const seconds = (performance.now() - startedAt) / 1000;
      const machineEnd = machineJiffies();
      const cpuPercent: Record<string, number | null> = {};
      const rssMb: Record<string, number | null> = {};
      for (const [name, list] of groups) {
        let used = 0;
        let rss = 0;
        let alive = 0;
        for (const pid of list) {
          const end = processCpuSeconds(pid);
          const begin = start.get(pid);
          if (end === null || begin === null || begin === undefined) continue;
          alive++;
          used += end - begin;
          rss += processRssMb(pid) ?? 0;
        }
        cpuPercent[name] = alive ? round1((used / seconds) * 100) : null;
        rssMb[name] = alive ? rss : null;
      }
      const totalDelta = machineEnd.total - machineStart.total;
      const machineBusyPercent = totalDelta > 0 ? round1(((machineEnd.busy - machineStart.busy) / totalDelta) * 100) : null;
      return { seconds: round1(seconds), cpuPercent, rssMb, machineBusyPercent };
    },
  };
}

export const round1 = (value: number) => Math.round(value * 10) / 10;
export const round2 = (value: number) => Math.round(value * 100) / 100;
