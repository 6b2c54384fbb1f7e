/** The models the join resolvers receive (codegen mappers, see codegen.yml). */
import type { CustomerModel, VendorName } from '../model.js';
import type { MatchReason } from './match.js';

/** A host organisation, known by the value of its key field (HOST_ORGANIZATION_KEY). */
export interface OrganizationModel {
  key: string;
}

/** One vendor customer claimed by one organisation, as the mapping file holds it. */
export interface MappingModel {
  organizationId: string;
  vendor: VendorName;
  vendorId: string;
  createdAt: string;
  /** Multi-tenant mode: the tenant whose customers these are (absent otherwise). */
  tenant?: string;
}

export interface SuggestionModel {
  organization: OrganizationModel;
  score: number;
  reasons: MatchReason[];
}

export interface UnmappedCustomerModel {
  customer: CustomerModel;
  suggestedOrganizations: SuggestionModel[];
}
