/** The PK parameters a protocol may give (clearance, volumes, intercompartmental clearance, absorption rate). Without zod, for the simulation. */
export const PK_PARAMETERS = ['cl', 'v', 'q', 'v2', 'ka'] as const;
