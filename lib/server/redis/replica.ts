/**
 * Who this process is among the replicas, as lock holders name it: `PORTHOLE_REPLICA_ID` when set (e.g. the
 * pod name), else `host/pid`.
 */
import 'server-only';
import { hostname } from 'node:os';

export interface ReplicaIdentity {
  /** `PORTHOLE_REPLICA_ID`, else `host/pid`. */
  replica: string;
  host: string;
  pid: number;
}

/** This process's identity (read from the environment on every call: tests set it per process). */
export function replicaIdentity(env: NodeJS.ProcessEnv = process.env): ReplicaIdentity {
  const host = hostname();
  const configured = env.PORTHOLE_REPLICA_ID?.trim().slice(0, 128);
  return { replica: configured || `${host}/${process.pid}`, host, pid: process.pid };
}
