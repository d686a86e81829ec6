/**
 * Every workflow type the worker runs. Deterministic code only: imports from src/domain,
 * src/temporal/{search-attributes,workflow-ids} and activity *types*.
 */
export {};
