// pidusage ships no types; the slice this benchmark uses.
declare module 'pidusage' {
  interface Status {
    cpu: number;
    memory: number;
    ppid: number;
    pid: number;
    ctime: number;
    elapsed: number;
    timestamp: number;
  }
  function pidusage(pids: number[]): Promise<Record<string, Status>>;
  namespace pidusage {
    function clear(): void;
  }
  export default pidusage;
}
