/**
 * A CPU profile of this process (the bench system runs the API in it) over one phase of a
 * bench, through `node:inspector`: the same V8 sampler as `node --cpu-prof`, but started and
 * stopped around the phase, so one profile holds one route's load and nothing of the setup.
 * The profile is written as `<dir>/<name>.cpuprofile` (open it in Chrome DevTools) and its top
 * self-time entries are returned as lines to print. `summariseProfile` reads one that
 * `node --cpu-prof` wrote (a child process) the same way, by function and by package.
 */
import fs from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import path from 'node:path';

const post = <T>(session: Session, method: string, params?: object) =>
  new Promise<T>((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T))),
  );

/** `profile`'s functions by self time, highest first: percent, ms, function and where it is. */
export function topSelfTime(profile: Profiler.Profile, top: number): string[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<string, number>();
  let total = 0;
  samples.forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url ? frame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '') : '';
    const key = `${frame.functionName || '(anonymous)'} ${file ? `${path.relative(process.cwd(), file).replace(/^(\.\.\/)+/, '')}:${frame.lineNumber + 1}` : ''}`;
    const us = deltas[i] ?? 0;
    selfUs.set(key, (selfUs.get(key) ?? 0) + us);
    total += us;
  });
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
}

/** Where a frame's code lives: an npm package, a folder of ours, node's own code, or V8's bucket. */
function packageOf(frame: Profiler.ProfileNode['callFrame']): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const inModules = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1] as string;
  const relative = path.relative(process.cwd(), url);
  return relative.startsWith('..') ? url : path.dirname(relative);
}

/** `profile`'s self time summed per package (packageOf), highest first, as lines to print. */
export function topPackages(profile: Profiler.Profile, top: number): string[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<string, number>();
  let total = 0;
  (profile.samples ?? []).forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    const key = packageOf(frame);
    const us = deltas[i] ?? 0;
    selfUs.set(key, (selfUs.get(key) ?? 0) + us);
    total += us;
  });
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
}

/** A `.cpuprofile` file's top self time by function and by package, as lines to print. */
export function summariseProfile(file: string, top = 15): { functions: string[]; packages: string[] } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profiler.Profile;
  return { functions: topSelfTime(profile, top), packages: topPackages(profile, top) };
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
