/**
 * A CPU profile of this process (the bench system runs the API in it) over one phase of a
 * bench, through `node:inspector`: the same V8 sampler as `node --cpu-prof`, but started and
 * stopped around the phase, so one profile holds one route's load and nothing of the setup.
 * The profile is written as `<dir>/<name>.cpuprofile` (open it in Chrome DevTools) and its top
 * self-time entries are returned as lines to print. `summariseProfiles` reads those that
 * `node --cpu-prof` wrote (a child process, one per thread) the same way, by function and package.
 */
import fs from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import path from 'node:path';

const post = <T>(session: Session, method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T))),
  );

type CallFrame = Profiler.ProfileNode['callFrame'];

/** A frame as `function file:line` (the file relative to here or to node_modules). */
function functionOf(frame: CallFrame): string {
  const file = frame.url ? frame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '') : '';
  return `${frame.functionName || '(anonymous)'} ${file ? `${path.relative(process.cwd(), file).replace(/^(\.\.\/)+/, '')}:${frame.lineNumber + 1}` : ''}`;
}

/** Where a frame's code lives: an npm package, a folder of ours, node's own code, or V8's bucket. */
function packageOf(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const inModules = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1] as string;
  const relative = path.relative(process.cwd(), url);
  return relative.startsWith('..') ? url : path.dirname(relative);
}

/**
 * Self time summed by `keyOf` over `profiles` (e.g. one per thread of a process), highest
 * first: percent of the busy time (idle left out when `busyOnly`), ms and the key.
 */
function topBy(
  profiles: Profiler.Profile[],
  keyOf: (frame: CallFrame) => string,
  top: number,
  busyOnly = false,
): string[] {
  const selfUs = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      const frame = nodes.get(id)?.callFrame;
      if (!frame || (busyOnly && frame.functionName === '(idle)' && !frame.url)) return;
      const key = keyOf(frame);
      const us = deltas[i] ?? 0;
      selfUs.set(key, (selfUs.get(key) ?? 0) + us);
      total += us;
    });
  }
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
}

/** `profile`'s functions by self time, highest first: percent, ms, function and where it is. */
export const topSelfTime = (profile: Profiler.Profile, top: number): string[] =>
  topBy([profile], functionOf, top);

/**
 * Every `.cpuprofile` in `dir` (`node --cpu-prof` writes one per thread: main, workflow
 * threads, the loader's) summed: busy time (idle left out) by function and by package.
 */
export function summariseProfiles(
  dir: string,
  top = 15,
): { threads: number; busyMs: number; functions: string[]; packages: string[] } {
  const profiles = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Profiler.Profile);
  let busyUs = 0;
  for (const profile of profiles) {
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    (profile.samples ?? []).forEach((id, i) => {
      if (!idle.has(id)) busyUs += profile.timeDeltas?.[i] ?? 0;
    });
  }
  return {
    threads: profiles.length,
    busyMs: busyUs / 1000,
    functions: topBy(profiles, functionOf, top, true),
    packages: topBy(profiles, packageOf, top, true),
  };
}

/**
 * Prints the summary of each bench child's profiles (`<dir>/<name>/`, written by `node
 * --cpu-prof` as the child exited: bench/support/system.ts `cpuProfileDir`).
 */
export function printProcessProfiles(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const { threads, busyMs, functions, packages } = summariseProfiles(path.join(dir, name));
    console.log(
      `CPU profile of ${name} (${threads} threads, ${(busyMs / 1000).toFixed(1)} s busy; self time), ` +
        `by package:\n    ${packages.join('\n    ')}`,
    );
    console.log(`  by function:\n    ${functions.join('\n    ')}`);
  }
}

/** Profiles `phase`; writes `<dir>/<name>.cpuprofile` and answers the phase's result and top entries. */
export async function profiled<T>(
  dir: string,
  name: string,
  phase: () => Promise<T>,
  top = 15,
): Promise<{ result: T; top: string[] }> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 500 });
    await post(session, 'Profiler.start');
    const result = await phase();
    const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    return { result, top: topSelfTime(profile, top) };
  } finally {
    session.disconnect();
  }
}
