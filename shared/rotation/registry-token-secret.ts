import { z } from 'zod';

/**
 * The secret's value: a credential for a (non-ECR) registry whose API issues access tokens,
 * and where that API is. Fields other than these are kept as they are across rotations.
 */
export const RegistryTokenSchema = z
  .object({
    /** The registry host the credential is for (`registry.example.com:5000`). */
    registry: z.string().min(1),
    username: z.string().min(1),
    token: z.string().min(1),
    /** The issued token's id at the registry (what revocation names). */
    tokenId: z.string().min(1).optional(),
    expiresAt: z.string().optional(),
    /** POST here (authenticated with the current token) issues a new token. */
    tokenEndpoint: z.string().url(),
    /** GET here with `username:token` (Basic) answers 2xx for a working token. @default https://<registry>/v2/ */
    checkUrl: z.string().url().optional(),
    /**
     * Revoke the replaced token when the rotation finishes. Off by default: readers that cached
     * it keep working until it expires (the registry's token lifetime should outlast the
     * rotation interval plus their cache time).
     */
    revokePrevious: z.boolean().optional(),
  })
  .passthrough();
export type RegistryTokenSecret = z.infer<typeof RegistryTokenSchema>;
