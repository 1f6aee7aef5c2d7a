// Typed views over one mapping; every reader and writer of a Registry
// shares the same views (one mapping per Registry).
export interface Views {
  readonly buffer: ArrayBuffer;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly u16: Uint16Array;
  readonly u8: Uint8Array;
  readonly capacity: number;
}

export function createViews(buffer: ArrayBuffer, capacity: number): Views {
  return {
    buffer,
    u32: new Uint32Array(buffer),
    i32: new Int32Array(buffer),
    f32: new Float32Array(buffer),
    u16: new Uint16Array(buffer),
    u8: new Uint8Array(buffer),
    capacity,
  };
}
