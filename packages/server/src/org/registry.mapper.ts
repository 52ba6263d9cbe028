import { needsResponsiblePerson, assetKindSchema, roleSchema, roomTypeSchema } from '@qingling/core';
import type { AssetView, DepartmentView, PersonView, RoomView } from '@qingling/core';
import type { DepartmentListRow } from './department.repository.js';
import type { PersonListRow } from './person.repository.js';
import type { RoomListRow } from './room.repository.js';
import type { AssetListRow } from './asset.repository.js';

/** Rows to API views: the only place registry rows take their outward shape. */
export function mapDepartment(r: DepartmentListRow): DepartmentView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    headPersonId: r.head_person_id,
    headPersonName: r.head_person_name,
    counts: {
      people: Number(r.people ?? 0),
      rooms: Number(r.rooms ?? 0),
      assets: Number(r.assets ?? 0),
      assetsWithoutResponsible: Number(r.without_responsible ?? 0),
    },
  };
}

export function mapPerson(r: PersonListRow): PersonView {
  return {
    id: r.id,
    staffNo: r.staff_no,
    name: r.name,
    departmentId: r.department_id,
    departmentName: r.department_name,
    role: roleSchema.parse(r.role),
    phone: r.phone,
    email: r.email,
  };
}

export function mapRoom(r: RoomListRow): RoomView {
  return {
    id: r.id,
    building: r.building,
    floor: r.floor,
    number: r.number,
    type: roomTypeSchema.parse(r.type),
    departmentId: r.department_id,
    departmentName: r.department_name,
    responsiblePersonId: r.responsible_person_id,
    responsiblePersonName: r.responsible_person_name,
    notes: r.notes,
  };
}

export function mapAsset(r: AssetListRow): AssetView {
  const kind = assetKindSchema.parse(r.kind);
  return {
    id: r.id,
    kind,
    hostname: r.hostname,
    assetTag: r.asset_tag,
    ips: JSON.parse(r.ips) as string[],
    macs: JSON.parse(r.macs) as string[],
    roomId: r.room_id,
    roomLabel: r.room_building && r.room_number ? `${r.room_building} ${r.room_number}` : null,
    departmentId: r.department_id,
    departmentName: r.department_name,
    responsiblePersonId: r.responsible_person_id,
    responsiblePersonName: r.responsible_person_name,
    os: r.os,
    notes: r.notes,
    missingResponsible: needsResponsiblePerson(kind) && r.responsible_person_id === null,
  };
}
