import { connectionType } from '@integration-graph/common';
import { Case } from '../entities/case';
import { Consultation } from '../entities/consultation';

/** Cursor-paginated list types of the cases subgraph. */
export const CaseConnection = connectionType('Case', Case);
export const ConsultationConnection = connectionType('Consultation', Consultation);
