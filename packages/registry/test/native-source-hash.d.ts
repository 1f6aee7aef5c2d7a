// Types for the native package's plain-JS source-hash script.
declare module '@sandmeter/native/source-hash' {
  /** Digest of native/src/*.{cc,h} and binding.gyp, as the binary reports it. */
  export function sourceHash(): string;
}
