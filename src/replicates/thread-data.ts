/**
 * Plain data for another thread, null prototypes included. Structured clone (workerData, task
 * messages) gives every object Object.prototype, but objects keyed by user text are made without
 * one (a covariate named "constructor" must not find Object's), so the worker would not compile
 * exactly what the main thread checked. toThread notes where the null prototypes are and
 * fromThread puts them back. Anything but plain objects, arrays, typed arrays and primitives is
 * refused: a class instance would lose its class on the way.
 */
export interface ThreadData<T> {
  value: T;
  /** Paths (keys and indices from the root) of the objects without a prototype. */
  nullPrototypes: (string | number)[][];
}

export function toThread<T>(value: T): ThreadData<T> {
  const nullPrototypes: (string | number)[][] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (typeof v === 'function' || typeof v === 'symbol') throw new Error(`toThread: ${path.join('.') || 'the value'} is a ${typeof v}, not plain data`);
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, i]));
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto === null) nullPrototypes.push(path);
    else if (proto !== Object.prototype) throw new Error(`toThread: ${path.join('.') || 'the value'} is a ${(v as object).constructor?.name ?? 'class instance'}, not plain data`);
    for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, k]);
  };
  walk(value, []);
  return { value, nullPrototypes };
}

/** The value as sent, after structured clone: its null prototypes restored. */
export function fromThread<T>(data: ThreadData<T>): T {
  for (const path of data.nullPrototypes) {
    let o: unknown = data.value;
    for (const k of path) o = Object.getOwnPropertyDescriptor(o, k)!.value;
    Object.setPrototypeOf(o as object, null);
  }
  return data.value;
}
