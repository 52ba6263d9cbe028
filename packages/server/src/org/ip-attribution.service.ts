import { normalizeIp, type AssetView, type PersonView, type RoomView } from '@qingling/core';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { DepartmentScope } from '../auth/department-scope.js';
import { badRequest } from '../http/app-error.js';
import { bindingsAt, ownerAt } from './ip-binding.repository.js';
import { findAsset, findAssetIdByMac } from './asset.repository.js';
import { findRoom } from './room.repository.js';
import { findPerson } from './person.repository.js';
import { mapAsset, mapPerson, mapRoom } from './registry.mapper.js';

export interface IpAttribution {
  ip: string;
  at: string;
  binding: { source: string; validFrom: string; validTo: string | null; mac: string | null; hostname: string | null; account: string | null } | null;
  asset: AssetView | null;
  room: RoomView | null;
  person: PersonView | null;
  department: { id: number; name: string } | null;
}

/** "Who had IP x at time t": the binding in force, then the asset it points at and that asset's room, person and department. */
export class IpAttributionService {
  constructor(private readonly store: Database) {}

  async whoHad(actor: Actor, ipText: string, at: Date): Promise<IpAttribution> {
    const ip = normalizeIp(ipText);
    if (!ip) throw badRequest('validation', `not an IP address: ${ipText}`, { issues: [{ path: 'querystring.ip', message: 'not an IP address' }] });
    const db = this.store.db;
    const atIso = at.toISOString();
    const empty: IpAttribution = { ip, at: atIso, binding: null, asset: null, room: null, person: null, department: null };
    const [binding] = await bindingsAt(db, ip, atIso);
    if (!binding) return empty;
    const assetId = binding.asset_id ?? (binding.mac ? await findAssetIdByMac(db, binding.mac) : undefined);
    const scope = DepartmentScope.of(actor);
    const assetRow = assetId === undefined ? undefined : await findAsset(db, scope, assetId);
    // A department role learns nothing about addresses held by another department's devices.
    if (assetId !== undefined && !assetRow) return empty;
    const result: IpAttribution = {
      ...empty,
      binding: { source: binding.source, validFrom: binding.valid_from, validTo: binding.valid_to, mac: binding.mac, hostname: binding.hostname, account: binding.account },
    };
    if (!assetRow) return scope.departmentId === null ? result : empty;
    const asset = mapAsset(assetRow);
    const roomRow = asset.roomId === null ? undefined : await findRoom(db, DepartmentScope.ALL, asset.roomId);
    const personRow = asset.responsiblePersonId === null ? undefined : await findPerson(db, DepartmentScope.ALL, asset.responsiblePersonId);
    return {
      ...result,
      asset,
      room: roomRow ? mapRoom(roomRow) : null,
      person: personRow ? mapPerson(personRow) : null,
      department: { id: asset.departmentId, name: asset.departmentName },
    };
  }
}

/**
 * The asset behind an IP at a time, in the shape `qingling scan` and `qingling trace` print —
 * for the operator on the server machine (no department scoping: the CLI runs as the IT center).
 */
export async function assetRefAt(store: Database, ip: string, at: Date): Promise<{ id: number; hostname: string | null; room: string | null; responsiblePerson: string | null; department: string | null } | null> {
  const owner = await ownerAt(store.db, ip, at.toISOString());
  if (!owner) return null;
  const row = await findAsset(store.db, DepartmentScope.ALL, owner.assetId);
  if (!row) return null;
  const a = mapAsset(row);
  return { id: a.id, hostname: a.hostname, room: a.roomLabel, responsiblePerson: a.responsiblePersonName, department: a.departmentName };
}
