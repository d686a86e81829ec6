/**
 * Generated from the API's OpenAPI document by `npm run admin:api-schema`
 * (src/cli/admin-api-schema.ts). Do not edit: change the route's zod schemas and regenerate.
 */

export interface paths {
    "/api/v1/admin/emails": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** E-mail history, filtered by status, recipient (substring) or template, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number | null;
                    recipient?: string;
                    status?: "pending" | "sending" | "sent" | "failed" | "suppressed";
                    template?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of e-mails */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["EmailSummary"][];
                            limit: number;
                            offset: number;
                            total: number;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/emails/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One e-mail with its rendered text and HTML */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The e-mail */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts: number;
                            createdAt: string;
                            errorMessage: string | null;
                            html: string;
                            id: string;
                            recipientEmail: string;
                            sentAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "sending" | "sent" | "failed" | "suppressed";
                            subject: string;
                            template: string | null;
                            text: string;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/emails/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a failed e-mail again (a fresh delivery) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Queued again */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EmailSummary"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Late payments and receipts owed a refund (excess, underpayment, cancelled round) */
        get: {
            parameters: {
                query?: {
                    roundId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Receipts owed refunds, each with where its refund stands (owed / sending / paid) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            refunds: components["schemas"]["LotteryRefund"][];
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Rounds with sales (receipts by status, received and owed amounts in base units) */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Rounds */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            page: number;
                            pageSize: number;
                            rounds: components["schemas"]["AdminLotteryRound"][];
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a round (starts its workflow; the seed commitment is published at once)
         * @description Sales open once the commitment memo is on chain (anchored rounds): at startDate when the memo lands before it, else the first whole second after the memo, and that is the startDate the round, its proof and the admin views show. A round asked to start in the past is answered once its sales are open (within a bound; `status` says), with that startDate. A round whose window ends before its memo lands is cancelled (nothing could be sold).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: date-time */
                        drawingDate?: string;
                        /** Format: date-time */
                        endDate: string;
                        /** @example round-2026-02 */
                        id?: string;
                        prizePool?: number;
                        /**
                         * @description Base units (lamports, USDC micro-units) as a decimal integer string
                         * @example 1500000
                         */
                        prizePoolLamports?: string;
                        /** Format: date-time */
                        startDate: string;
                        /**
                         * @description Base units (lamports, USDC micro-units) as a decimal integer string
                         * @example 1500000
                         */
                        ticketPriceLamports: string;
                        /**
                         * @description Base units (lamports, USDC micro-units) as a decimal integer string
                         * @example 1500000
                         */
                        ticketPriceUsdc: string;
                        /** @default 1 */
                        ticketsPerBurn?: number;
                    };
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            drawingDate: string | null;
                            endDate: string;
                            id: string;
                            prizePoolLamports: string;
                            seedCommitment: string | null;
                            startDate: string;
                            /** @enum {string} */
                            status: "scheduled" | "active" | "closing" | "drawing" | "completed" | "cancelled";
                            workflowId: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One round with its sales, fairness fields and a link to its workflow */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The round */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AdminLotteryRound"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel before the freeze (workflow update `cancel`); accepted payments become owed refunds
         * @description Sent to the workflow as the update `cancel`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LotteryRoundState"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End sales now (workflow update `close`)
         * @description Sent to the workflow as the update `close`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LotteryRoundState"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}/draw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Draw now (workflow update `draw`); returns the winner
         * @description Sent to the workflow as the update `draw`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DrawOutcome"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}/pay-prize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pay the prize to the winner exactly once (workflow update `payPrize`)
         * @description Sent to the workflow as the update `payPrize`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PrizeOutcome"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}/prize-pool": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change the prize pool before the draw (workflow update `updatePrizePool`)
         * @description Sent to the workflow as the update `updatePrizePool`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description Base units (lamports, USDC micro-units) as a decimal integer string
                         * @example 1500000
                         */
                        prizePoolLamports: string;
                    };
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LotteryRoundState"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every base unit of the round: submitted signatures vs the chain, unclaimed transfers, totals */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The reconciliation */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RoundReconciliation"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}/refunds/{signature}/pay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pay the refund owed on one payment, exactly once (workflow update `payRefunds` on `lottery-refunds:{id}`)
         * @description Pays the payer recorded on the receipt the amount owed, in the payment's currency, through the payout path (key `refund:<signature>`). 404 `RefundNotFound` when the round has no such payment, 409 `NoRefundOwed` when it is owed nothing; paying a paid one again answers it as paid.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description Base58 ed25519 signature (64 bytes) */
                    signature: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LotteryRefundsPaid"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}/refunds/pay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pay every refund owed in the round, each exactly once (workflow update `payRefunds` on `lottery-refunds:{id}`)
         * @description Refund everyone (e.g. a cancelled round): each refund owed is paid to the payer recorded on its receipt, the amount owed in the payment's currency, through the payout path (key `refund:<signature>`). Already paid ones are answered as paid and not paid again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LotteryRefundsPaid"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/rounds/{id}/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A round's tickets in number order (paginated; format=csv exports every ticket, streamed) */
        get: {
            parameters: {
                query?: {
                    format?: "json" | "csv";
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Tickets (or text/csv) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            page: number;
                            pageSize: number;
                            roundId: string;
                            tickets: components["schemas"]["LotteryTicket"][];
                            total: number;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/lottery/sales": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tickets issued per UTC hour or day (sales over time), all rounds or one */
        get: {
            parameters: {
                query?: {
                    bucket?: "hour" | "day";
                    days?: number;
                    roundId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The series, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TicketSales"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Current round sales and prize pool, distributions, utility queue, e-mail backlog, system health */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The overview */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AdminOverview"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/revenue/claims.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** CSV export of every claim (optionally of one month) */
        get: {
            parameters: {
                query?: {
                    month?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description CSV */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/revenue/distributions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every distribution (any status) with claim counts */
        get: {
            parameters: {
                query?: {
                    format?: "json" | "csv";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Distributions (or text/csv) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            distributions: components["schemas"]["AdminRevenueDistribution"][];
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a month from its revenue sources (JSON, or csv "name,amount" in whole units); starts its workflow */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        csv?: string;
                        /**
                         * @default SOL
                         * @enum {string}
                         */
                        currency?: "SOL" | "USDC";
                        /** @description Base58 ed25519 signature (64 bytes) */
                        fundingSignature?: string;
                        /** @example 2026-02 */
                        month: string;
                        shareBps: number;
                        sources?: {
                            /**
                             * @description Base units (lamports, USDC micro-units) as a decimal integer string
                             * @example 1500000
                             */
                            amountBaseUnits: string;
                            name: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            month: string;
                            workflowId: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/revenue/distributions/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One distribution with its approvals and live snapshot progress (workflow query `status`) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    month: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The distribution */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AdminRevenueDistributionDetail"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/revenue/distributions/{month}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve as the signed-in admin (workflow update `approve`); REVENUE_APPROVALS_REQUIRED distinct admins open claims
         * @description Sent to the workflow as the update `approve`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    month: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Base58 ed25519 signature (64 bytes) */
                        fundingSignature?: string;
                    };
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RevenueDistributionState"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/revenue/distributions/{month}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel before claims open (workflow update `cancel`)
         * @description Sent to the workflow as the update `cancel`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    month: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RevenueDistributionState"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/revenue/distributions/{month}/claims": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Claim status per snapshot pass (owner at the snapshot; paginated; format=csv exports every pass, streamed) */
        get: {
            parameters: {
                query?: {
                    format?: "json" | "csv";
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path: {
                    month: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Passes with their claim status (or text/csv) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AdminRevenuePassClaims"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/revenue/distributions/{month}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Close claims now and record the unclaimed total (workflow update `close`)
         * @description Sent to the workflow as the update `close`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    month: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RevenueDistributionState"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/revenue/distributions/{month}/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every base unit of the month: declared = paid + owed + unclaimed + dust; claims with their payouts; funding vs the chain
         * @description A month not split yet (draft, snapshotting) is a 409 naming its status.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    month: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The reconciliation */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MonthReconciliation"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/revenue/passes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import the Revenue Pass hash list into nft_mints (mints: JSON array, or csv: one mint per line) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        csv?: string;
                        mints?: string[];
                    };
                };
            };
            responses: {
                /** @description Imported */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            added: number;
                            alreadyListed: number;
                            collection: string;
                            otherCollection: string[];
                            received: number;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search users by wallet or e-mail (paginated), with ticket and claim counts */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    pageSize?: number;
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of users */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            page: number;
                            pageSize: number;
                            total: number;
                            users: components["schemas"]["AdminUser"][];
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{wallet}/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A wallet's activity log (analytics events), newest first */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    pageSize?: number;
                };
                header?: never;
                path: {
                    /** @description Base58 ed25519 public key (32 bytes) */
                    wallet: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            events: components["schemas"]["ActivityEvent"][];
                            walletAddress: string;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/utility/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The project queue: filter by status, oldest (default) or newest first, paginated */
        get: {
            parameters: {
                query?: {
                    page?: number;
                    pageSize?: number;
                    sort?: "oldest" | "newest";
                    /** @description One status or several, comma-separated, e.g. pending_review,needs_info */
                    status?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of projects */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            page: number;
                            pageSize: number;
                            projects: {
                                assignedTo: string | null;
                                /** @description US dollars (display) */
                                budget: number | null;
                                /** @description US cents, exact */
                                budgetCents: string | null;
                                contactWallet: string | null;
                                createdAt: string;
                                email: string;
                                package: string;
                                progress: number;
                                projectId: string;
                                projectName: string;
                                services: string[];
                                /** @enum {string} */
                                status: "pending_review" | "needs_info" | "approved" | "in_progress" | "completed" | "rejected" | "cancelled";
                                updatedAt: string;
                            }[];
                            total: number;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/utility/projects/{projectId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One project: submission (with e-mail), state, updates, status history, e-mails, workflow link */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Project id from the submission */
                    projectId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The project */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AdminProject"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/utility/projects/{projectId}/assign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Assign (or reassign) an approved or in-progress project
         * @description Sent to the workflow as the update `assign`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Project id from the submission */
                    projectId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        assignee: string;
                    };
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProjectWorkflowStatus"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/utility/projects/{projectId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a project that waits for information, is approved or in progress
         * @description Sent to the workflow as the update `cancel`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Project id from the submission */
                    projectId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description What the client sees on the public project status and in the e-mail (a standard sentence if omitted) */
                        clientMessage?: string;
                        /** @description Why: internal, shown in the admin view only, never to the client */
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProjectWorkflowStatus"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/utility/projects/{projectId}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark an in-progress project completed (progress 100)
         * @description Sent to the workflow as the update `complete`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Project id from the submission */
                    projectId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        message?: string;
                    };
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProjectWorkflowStatus"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/utility/projects/{projectId}/resume-review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Back to review after the client answered a request for information
         * @description Sent to the workflow as the update `resumeReview`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Project id from the submission */
                    projectId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description What the client sees on the public project status and in the e-mail (a standard sentence if omitted) */
                        clientMessage?: string;
                        /** @description Note: internal, shown in the admin view only, never to the client */
                        note?: string;
                    };
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProjectWorkflowStatus"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/utility/projects/{projectId}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Review: approve (assignee, estimated completion, total cost), reject (reason) or request information
         * @description Sent to the workflow as the update `review`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Project id from the submission */
                    projectId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ProjectReview"];
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProjectWorkflowStatus"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/utility/projects/{projectId}/updates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Post an update to the client (e-mailed); the first one starts the work (in_progress)
         * @description Sent to the workflow as the update `postUpdate`; a change its state does not allow is refused (409) with the reason, and nothing is written.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Project id from the submission */
                    projectId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        message: string;
                        progress?: number;
                    };
                };
            };
            responses: {
                /** @description The update result */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProjectWorkflowStatus"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke the current token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in wallet, whether it is an admin, and its profile */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Who you are */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            isAdmin: boolean;
                            profile: components["schemas"]["Profile"];
                            walletAddress: string;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/request-challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a one-time Sign-In-With-Solana message to sign
         * @description Rate-limited per client address (RATE_LIMIT_AUTH_IP_PER_MINUTE).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description Base58 ed25519 public key (32 bytes)
                         * @example 9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM
                         */
                        walletAddress: string;
                    };
                };
            };
            responses: {
                /** @description The message to sign with the wallet (signMessage), valid until expiresAt */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            challenge: string;
                            expiresAt: string;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Rate limited; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/verify-signature": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a signed challenge for a JWT (7 days)
         * @description Rate-limited per client address (RATE_LIMIT_AUTH_IP_PER_MINUTE); failed attempts also per wallet from that address (RATE_LIMIT_AUTH_WALLET_PER_MINUTE) and per address (RATE_LIMIT_AUTH_FAILURES_PER_IP_PER_HOUR). Failures from other addresses never block a wallet.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        challenge: string;
                        /** @description Base58 ed25519 signature of the challenge bytes */
                        signature: string;
                        /**
                         * @description Base58 ed25519 public key (32 bytes)
                         * @example 9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM
                         */
                        walletAddress: string;
                    };
                };
            };
            responses: {
                /** @description Signed in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            expiresAt: string;
                            /** @enum {boolean} */
                            success: true;
                            token: string;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Rate limited; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lottery/burn-claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Claim tickets for burned Stoned Rabbits NFTs (one claim per burn transaction) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        nftsBurned: string[];
                        /** @example round-2026-02 */
                        roundId?: string;
                        ticketsClaimed: number;
                        transactionSignatures: string[];
                        /**
                         * @description Base58 ed25519 public key (32 bytes)
                         * @example 9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM
                         */
                        walletAddress: string;
                    };
                };
            };
            responses: {
                /** @description Tickets issued */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            amountBaseUnits: string | null;
                            amountPaid: number | null;
                            nftsBurned?: string[];
                            refundOwedBaseUnits: string;
                            roundId: string | null;
                            /** @enum {string} */
                            status: "pending" | "accepted" | "late" | "rejected";
                            success: boolean;
                            ticketsIssued: number[];
                            totalTickets: number;
                            transactionSignature: string;
                            transactionVerified: boolean;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Still verifying; poll statusUrl */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "pending";
                            statusUrl: string;
                            transactionSignature: string;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Rate limited; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lottery/purchase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a payment transaction for tickets; verified on chain before tickets are issued
         * @description Answers 200 with the tickets when verification finishes within the bounded wait, else 202 with a status URL. Re-submitting a signature returns the same tickets. 422: the chain shows a different or too small amount (the error carries the chain figure; the receipt is recorded as owed a refund). 409: late or already used.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        amountPaid?: number;
                        /** @enum {string} */
                        paymentMethod: "SOL" | "USDC";
                        /** @example round-2026-02 */
                        roundId?: string;
                        ticketCount: number;
                        /** @description Base58 ed25519 signature (64 bytes) */
                        transactionSignature: string;
                        /**
                         * @description Base58 ed25519 public key (32 bytes)
                         * @example 9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM
                         */
                        walletAddress: string;
                    };
                };
            };
            responses: {
                /** @description Tickets issued */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PurchaseTicketsResponse"];
                    };
                };
                /** @description Still verifying; poll statusUrl */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "pending";
                            statusUrl: string;
                            transactionSignature: string;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Rate limited; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lottery/purchases/{signature}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Status of a submitted purchase or burn claim (pending, accepted, late, rejected)
         * @description Anyone holding the signature sees its status and round. The wallet, amounts and tickets are shown only to that wallet signed in (optional Bearer token) or to an admin.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Base58 ed25519 signature (64 bytes) */
                    signature: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description For the owner or an admin: the purchase answer plus the stored receipt; for anyone else: its status only */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PurchaseStatus"] | components["schemas"]["PublicPurchaseStatus"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lottery/rounds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A round by id */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The round */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LotteryRound"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lottery/rounds/{id}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything needed to recompute the draw: commitment, revealed seed, beacon, ordered tickets, winner */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The draw proof (see src/domain/lottery/fair-draw.ts for the byte layout) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DrawProof"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lottery/rounds/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current round, with what a client needs to pay (treasury, prices, USDC mint, seed commitment) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The round */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LotteryRound"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lottery/tickets/{walletAddress}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A wallet's tickets (own wallet or admin) */
        get: {
            parameters: {
                query?: {
                    roundId?: string;
                };
                header?: never;
                path: {
                    /** @description Base58 ed25519 public key (32 bytes) */
                    walletAddress: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Tickets */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            entries: {
                                [key: string]: unknown;
                            }[];
                            ticketNumbers: number[];
                            totalTickets: number;
                            walletAddress: string;
                        };
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/revenue-pass/claimable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the signed-in wallet can claim now: its snapshot passes not yet claimed, per open month */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Claimable passes per month */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/revenue-pass/claims": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Claim the month's share for the signed-in wallet's passes at the snapshot (all, or passMints)
         * @description Only the wallet that held a pass at the snapshot can claim it; the payout goes to that wallet exactly once. 200 with signatures when paid within the bounded wait, else 202 with a status URL. 409 after the claim window.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @example 2026-02 */
                        month: string;
                        passMints?: string[];
                    };
                };
            };
            responses: {
                /** @description Paid: claims[] has each pass paid, or refused with its error.code (AlreadyClaimed for a pass an earlier request claimed) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Still paying; poll statusUrl */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet; error.code: Forbidden, NotSnapshotOwner */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found; error.code: NotFound, NotInSnapshot */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state; error.code: AlreadyClaimed, ClaimsNotOpen, ClaimsClosed, NothingToClaim */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Well-formed but invalid (e.g. the chain shows a smaller payment) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/revenue-pass/claims/{walletAddress}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A wallet's claims (own wallet or admin): totalClaimed and claimHistory */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Base58 ed25519 public key (32 bytes) */
                    walletAddress: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Claims */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not allowed for this wallet */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/revenue-pass/distributions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Opened and closed monthly distributions, newest first, with totalDistributed */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Distributions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/revenue-pass/distributions/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One month's distribution with claimedCount */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    month: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The distribution */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/revenue-pass/distributions/{month}/allocation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A month's allocation: declared figures, every pass → snapshot owner → amount in canonical order, its digest, claim status and payout
         * @description Public (pass mints and owners are on chain anyway) once claims have opened. Passes are sorted by mint, byte-wise; `allocationDigest` is the SHA-256 of the lines `<passMint>,<owner>,<amountBaseUnits>\n` in that order and `memo` the distribution memo text (src/domain/revenue/allocation.ts), published on chain at approval by the payout wallet (`memoSignature`, `memoSlot`). `npm run verify-distribution` recomputes all of it. Streamed: a month of 10 000 passes is never built in memory. 409 before approval.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    month: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The allocation */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DistributionAllocation"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict with the current state */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set your e-mail address (null removes it) and which e-mails you want */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email?: string | null;
                        preferences?: {
                            emailDistributions?: boolean;
                            emailProjectUpdates?: boolean;
                            emailTicketReceipts?: boolean;
                        };
                    };
                };
            };
            responses: {
                /** @description Your profile */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Profile"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/utility-factory/project": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a Utility Factory project
         * @description Starts the project's review. Rate-limited per IP address: accepted submissions (RATE_LIMIT_SUBMIT_PER_HOUR) and refused ones (400, RATE_LIMIT_INVALID_SUBMIT_PER_HOUR) each have their own budget.
         *     Services: smart-contract, website, discord-bot, nft-collection, token-launch, dapp, marketing, design, other. Text is trimmed and stored as sent (e-mails escape it).
         *     When signed in (optional Bearer token), the wallet is kept as the project's contact wallet.
         *
         *     **Duplicate protection:** the same body (after trimming text, lower-casing the e-mail and ignoring the order of services) from the same client (IP address and signed-in wallet, if any) within 10 minutes of the first returns the first project (status 200) instead of creating another (201). Resending after a 503 is therefore safe.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ProjectSubmissionRequest"];
                };
            };
            responses: {
                /** @description The same submission within 10 minutes: the existing project */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProjectSubmissionResponse"];
                    };
                };
                /** @description Project created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProjectSubmissionResponse"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing, invalid, expired or revoked token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Rate limited; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/utility-factory/project/{projectId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A project's status, progress, estimated completion and updates (no personal data) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Project id from the submission */
                    projectId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The project */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProjectStatusResponse"];
                    };
                };
                /** @description Invalid input (the message names the field) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ActivityEvent: {
            createdAt: string;
            id: string;
            ip: string | null;
            metadata: {
                [key: string]: unknown;
            } | null;
            type: string;
            userAgent: string | null;
        };
        AdminLotteryRound: {
            beaconBlockhash: string | null;
            beaconSlot: number | null;
            createdAt: string;
            drawingDate: string | null;
            drawnAt: string | null;
            endDate: string;
            frozenAt: string | null;
            frozenTicketCount: number | null;
            id: string;
            /** @description The prize payout from the payouts table (null until `pay-prize`) */
            prizePayout: {
                amountBaseUnits: string;
                confirmedAt: string | null;
                key: string;
                recipient: string;
                signature: string | null;
                /** @enum {string} */
                status: "pending" | "signed" | "confirmed" | "failed";
            } | null;
            prizePayoutKey: string | null;
            /** @description SOL (display) */
            prizePool: number;
            prizePoolLamports: string;
            /** @description Chain receipts per status */
            receipts: {
                [key: string]: number;
            };
            receivedLamports: string;
            receivedUsdc: string;
            refundsOwedLamports: string;
            refundsOwedUsdc: string;
            revealedSeed: string | null;
            seedCommitment: string;
            startDate: string;
            /** @enum {string} */
            status: "scheduled" | "active" | "closing" | "drawing" | "completed" | "cancelled";
            ticketDigest: string | null;
            ticketPrice: {
                SOL: number;
                USDC: number;
            };
            ticketPriceLamports: string;
            ticketPriceUsdcBaseUnits: string;
            ticketsPerBurn: number;
            totalTicketsSold: number;
            treasuryWallet: string | null;
            usdcMint: string;
            winnerIndex: number | null;
            winnerTicket: number | null;
            winnerWallet: string | null;
            workflow: {
                /** @description The run in the Temporal UI */
                url: string;
                workflowId: string;
            };
        };
        AdminOverview: {
            currentRound: {
                drawingDate: string | null;
                endDate: string;
                id: string;
                prizePoolLamports: string;
                status: string;
                ticketsSold: number;
            } | null;
            /** @description Per status: how many months, and their distribution amounts per currency (base units of each currency) */
            distributions: {
                [key: string]: {
                    /** @description Distribution amounts per currency: lamports (SOL), micro-USDC (USDC) */
                    amountBaseUnitsByCurrency: {
                        SOL: string;
                        USDC: string;
                    };
                    count: number;
                };
            };
            emailBacklog: {
                failed?: number;
                pending?: number;
                sending?: number;
                sent?: number;
                suppressed?: number;
            };
            health: {
                checks: {
                    [key: string]: {
                        detail?: string;
                        ok: boolean;
                    } & {
                        [key: string]: unknown;
                    };
                };
                ok: boolean;
            };
            /** @description Projects per status */
            utilityQueue: {
                [key: string]: number;
            };
        };
        AdminProject: {
            actualCompletion: string | null;
            assignedTo: string | null;
            /** @description US dollars (display) */
            budget: number | null;
            /** @description US cents, exact */
            budgetCents: string | null;
            contactWallet: string | null;
            createdAt: string;
            details: string;
            email: string;
            emails: {
                createdAt: string;
                id: string;
                recipientEmail: string;
                sentAt: string | null;
                status: string;
                subject: string;
                template: string | null;
            }[];
            estimatedCompletion: string | null;
            history: {
                at: string;
                by: string | null;
                event: string;
                /** @enum {string|null} */
                from: "pending_review" | "needs_info" | "approved" | "in_progress" | "completed" | "rejected" | "cancelled" | null;
                /** @description The internal note or reason, if any */
                note: string | null;
                /** @enum {string} */
                to: "pending_review" | "needs_info" | "approved" | "in_progress" | "completed" | "rejected" | "cancelled";
            }[];
            package: string;
            paymentMethod: string;
            progress: number;
            projectId: string;
            projectName: string;
            services: string[];
            /** @enum {string} */
            status: "pending_review" | "needs_info" | "approved" | "in_progress" | "completed" | "rejected" | "cancelled";
            statusReason: string | null;
            timeline: string | null;
            totalCost: number | null;
            totalCostCents: string | null;
            updatedAt: string;
            updates: {
                createdAt: string;
                createdBy: string | null;
                id: string;
                message: string;
                progress: number | null;
            }[];
            workflow: {
                url: string;
                workflowId: string;
            };
        };
        AdminRevenueDistribution: {
            approvals: {
                at: string;
                wallet: string;
            }[];
            claimDeadline: string | null;
            claimedCount: number;
            closedAt: string | null;
            /** @enum {string} */
            currency: "SOL" | "USDC";
            /** @description Whole units (display); exact value beside it */
            distributionAmount: number | null;
            distributionAmountBaseUnits: string;
            distributionDate: string | null;
            dustBaseUnits: string | null;
            month: string;
            passCount: number | null;
            /** @description Whole units (display); exact value beside it */
            perPassAmount: number | null;
            perPassAmountBaseUnits: string | null;
            shareBps: number;
            snapshotSlot: number | null;
            sources: {
                /** @description Whole units (display); exact value beside it */
                amount: number | null;
                amountBaseUnits: string;
                name: string;
            }[];
            status: string;
            /** @description Whole units (display); exact value beside it */
            totalRevenue: number | null;
            totalRevenueBaseUnits: string;
            transactionSignature: string | null;
            unclaimedBaseUnits: string | null;
        };
        AdminRevenueDistributionDetail: {
            approvals?: {
                at: string;
                wallet: string;
            }[];
            claimDeadline?: string | null;
            claimedCount?: number;
            closedAt?: string | null;
            /** @enum {string} */
            currency?: "SOL" | "USDC";
            /** @description Whole units (display); exact value beside it */
            distributionAmount?: number | null;
            distributionAmountBaseUnits?: string;
            distributionDate?: string | null;
            dustBaseUnits?: string | null;
            month: string;
            passCount?: number | null;
            /** @description Whole units (display); exact value beside it */
            perPassAmount?: number | null;
            perPassAmountBaseUnits?: string | null;
            shareBps?: number;
            snapshotDone?: number;
            snapshotSlot?: number | null;
            sources?: {
                /** @description Whole units (display); exact value beside it */
                amount: number | null;
                amountBaseUnits: string;
                name: string;
            }[];
            status?: string;
            /** @description Whole units (display); exact value beside it */
            totalRevenue?: number | null;
            totalRevenueBaseUnits?: string;
            transactionSignature?: string | null;
            unclaimedBaseUnits?: string | null;
            /** @description Live state; null once the run has ended */
            workflow: {
                approvals: {
                    at: string;
                    wallet: string;
                }[];
                approvalsRequired: number;
                cancelReason: string | null;
                claimDeadline: string | null;
                closeRequested: boolean;
                /** @enum {string} */
                currency: "SOL" | "USDC";
                distributionAmountBaseUnits: string;
                dustBaseUnits: string | null;
                fundingSignature: string | null;
                month: string;
                passCount: number | null;
                perPassAmountBaseUnits: string | null;
                snapshot: {
                    /** @description Pass mints resolved so far */
                    done: number;
                    holders: number;
                    slot: number | null;
                    /** @description Pass mints listed when the snapshot started */
                    total: number;
                };
                status: string;
                totalRevenueBaseUnits: string;
                unclaimedBaseUnits: string | null;
            } | null;
            workflowId: string;
        };
        AdminRevenuePassClaims: {
            month: string;
            page: number;
            pageSize: number;
            passes: {
                amountBaseUnits: string | null;
                claimedAt: string | null;
                claimStatus: string;
                ownerWallet: string;
                paidAt: string | null;
                passMint: string;
                tokenAccount: string | null;
                transactionSignature: string | null;
            }[];
            snapshotDone: number;
            snapshotSlot: number | null;
            total: number;
        };
        AdminUser: {
            claimCount: number;
            createdAt: string;
            email: string | null;
            id: string;
            lastLogin: string | null;
            ticketCount: number;
            walletAddress: string;
        };
        AnchorMemo: {
            signature: string;
            slot: number;
            text: string;
        } | null;
        DistributionAllocation: {
            allocationDigest: string;
            /** @enum {string} */
            currency: "SOL" | "USDC";
            distributionAmountBaseUnits: string;
            dustBaseUnits: string;
            /** @enum {string} */
            format: "sr-allocation-v1";
            memo: string;
            /** @description The transaction that published `memo` on chain at approval (null for a month not anchored) */
            memoSignature: string | null;
            memoSlot: number | null;
            month: string;
            passCount: number;
            passes: {
                amountBaseUnits: string;
                /** @enum {string} */
                claimStatus: "pending" | "paid" | "failed" | "unclaimed";
                owner: string;
                passMint: string;
                payoutSignature: string | null;
            }[];
            perPassAmountBaseUnits: string;
            shareBps: number;
            snapshotSlot: number;
            sources: {
                amountBaseUnits: string;
                name: string;
            }[];
            /** @enum {string} */
            status: "open" | "closed";
            tokenMint: string | null;
            totalRevenueBaseUnits: string;
        };
        DrawOutcome: {
            ticketCount: number;
            winnerIndex: number | null;
            winnerTicket: number | null;
            winnerWallet: string | null;
        };
        DrawProof: {
            algorithm: string;
            /** @description The on-chain anchors (issue 19); null for a round that was not anchored */
            anchors: {
                beaconRule: {
                    /** @enum {string} */
                    commitment: "finalized";
                    delaySlots: number | null;
                    /** @enum {string} */
                    name: "first-block-at-or-after-v1";
                };
                commitMemo: components["schemas"]["AnchorMemo"];
                digestMemo: components["schemas"]["AnchorMemo"];
            } | null;
            beaconBlockhash: string;
            beaconSlot: number | null;
            endDate: string;
            revealedSeed: string;
            roundId: string;
            seedCommitment: string;
            startDate: string;
            ticketCount: number;
            ticketDigest: string;
            tickets: {
                ticketNumber: number;
                wallet: string;
            }[];
            winnerIndex: number | null;
            winnerTicketNumber: number | null;
            winnerWallet: string | null;
        };
        EmailSummary: {
            attempts: number;
            createdAt: string;
            errorMessage: string | null;
            id: string;
            recipientEmail: string;
            sentAt: string | null;
            /** @enum {string} */
            status: "pending" | "sending" | "sent" | "failed" | "suppressed";
            subject: string;
            template: string | null;
        };
        /** @description Every error response has this shape */
        Error: {
            error: {
                code: string;
                details?: unknown;
                message: string;
            };
        };
        LotteryRefund: {
            amountBaseUnits: string | null;
            blockTime: string | null;
            currency: string | null;
            kind: string;
            reason: string | null;
            refundOwedBaseUnits: string;
            /** @description The payout row (`refund:<signature>`), once paying */
            refundPayoutKey: string | null;
            /** @description The payout transaction (the landed one, once paid) */
            refundPayoutSignature: string | null;
            /**
             * @description owed: not paid yet (nothing is owed for a late burn); sending: its payout is being sent; paid: confirmed on chain; failed: the payout landed but failed
             * @enum {string}
             */
            refundState: "owed" | "sending" | "paid" | "failed";
            requestedTickets: number | null;
            roundId: string | null;
            signature: string;
            /** @enum {string} */
            status: "pending" | "accepted" | "late" | "rejected";
            ticketNumbers: number[];
            walletAddress: string;
        };
        /** @description The refunds paid by this request (each exactly once, ever) */
        LotteryRefundsPaid: {
            refunds: {
                amountBaseUnits: string;
                /** @enum {string} */
                currency: "SOL" | "USDC";
                payoutKey: string;
                payoutSignature: string;
                recipient: string;
                signature: string;
            }[];
            roundId: string;
        };
        LotteryRound: {
            drawingDate: string | null;
            endDate: string;
            id: string;
            prizePool: number;
            prizePoolLamports: string;
            seedCommitment: string;
            startDate: string;
            /** @enum {string} */
            status: "scheduled" | "active" | "closing" | "drawing" | "completed" | "cancelled";
            ticketPrice: {
                SOL: number;
                USDC: number;
            };
            ticketPriceLamports: string;
            ticketPriceUsdcBaseUnits: string;
            ticketsPerBurn: number;
            totalTicketsSold: number;
            treasuryWallet: string | null;
            usdcMint: string;
        } & {
            [key: string]: unknown;
        };
        /** @description The round workflow's state (query `status`) */
        LotteryRoundState: {
            beaconSlot: number | null;
            closeRequested: boolean;
            draw: {
                ticketCount: number;
                winnerIndex: number | null;
                winnerTicket: number | null;
                winnerWallet: string | null;
            } | null;
            drawRequested: boolean;
            frozenTicketCount: number | null;
            prize: {
                amountBaseUnits: string;
                key: string;
                recipient: string;
                signature: string;
            } | null;
            prizePoolLamports: string;
            roundId: string;
            seedCommitment: string | null;
            /** @enum {string} */
            status: "scheduled" | "active" | "closing" | "drawing" | "completed" | "cancelled";
            ticketDigest: string | null;
        };
        LotteryTicket: {
            acquisitionMethod: string;
            amountPaidBaseUnits: string | null;
            createdAt: string;
            nftBurned: string | null;
            paymentMethod: string | null;
            roundId: string;
            ticketNumber: number;
            transactionSignature: string;
            walletAddress: string;
        };
        MonthReconciliation: {
            balanced: boolean;
            claims: {
                amountBaseUnits: string;
                passMint: string;
                payout: {
                    amountBaseUnits: string;
                    signature: string | null;
                    status: string;
                } | null;
                payoutKey: string;
                status: string;
                wallet: string;
            }[];
            currency: string;
            distributionAmountBaseUnits: string;
            dustBaseUnits: string;
            funding: {
                chainPaidBaseUnits: string | null;
                covers: boolean | null;
                payableBaseUnits: string;
                signature: string;
            } | null;
            month: string;
            passCount: number;
            payouts: {
                amountBaseUnits: string;
                claimRows: number;
                claimRowsBaseUnits: string;
                currency: string;
                key: string;
                matches: boolean;
                recipient: string;
                signature: string | null;
                status: string;
            }[];
            perPassAmountBaseUnits: string;
            status: string;
            totals: {
                balanced: boolean;
                currency: string;
                declaredBaseUnits: string;
                differenceBaseUnits: string;
                dustBaseUnits: string;
                owedBaseUnits: string;
                paidBaseUnits: string;
                payoutsMatch: boolean;
                unclaimedBaseUnits: string;
                unclaimedPasses: number;
            };
        };
        PrizeOutcome: {
            amountBaseUnits: string;
            key: string;
            recipient: string;
            signature: string;
        };
        Profile: {
            createdAt: string;
            email: string | null;
            lastLogin: string | null;
            preferences: {
                [key: string]: boolean;
            };
        };
        ProjectReview: {
            /** @description Who builds it (developer or team) */
            assignee: string;
            /** @description What the client sees on the public project status and in the e-mail (a standard sentence if omitted) */
            clientMessage?: string;
            /** @enum {string} */
            decision: "approve";
            /** @example 2026-03-01 */
            estimatedCompletion: string;
            /** @description Review note: internal, shown in the admin view only, never to the client */
            note?: string;
            /**
             * @description Total cost in US cents
             * @example 250000
             */
            totalCostCents: string;
        } | {
            /** @description What the client sees on the public project status and in the e-mail (a standard sentence if omitted) */
            clientMessage?: string;
            /** @enum {string} */
            decision: "reject";
            /** @description Why: internal, shown in the admin view only, never to the client */
            reason: string;
        } | {
            /** @description What the client sees on the public project status and in the e-mail (a standard sentence if omitted) */
            clientMessage?: string;
            /** @enum {string} */
            decision: "request_info";
            /** @description What information is needed: internal, shown in the admin view only, never to the client */
            message: string;
        };
        ProjectStatusResponse: {
            /** @description YYYY-MM-DD, once approved */
            estimatedCompletion?: string;
            progress: number;
            projectId: string;
            /** @enum {string} */
            status: "pending_review" | "needs_info" | "approved" | "in_progress" | "completed" | "rejected" | "cancelled";
            updates: {
                createdAt: string;
                message: string;
                progress: number | null;
            }[];
        };
        ProjectSubmissionRequest: {
            /**
             * @description US dollars, at most 2 decimals (stored exactly as cents)
             * @example 2500
             */
            budget?: number | null;
            details: string;
            email: string;
            /** @enum {string} */
            package: "starter" | "professional" | "enterprise";
            /** @description How the client intends to pay, e.g. SOL, USDC, card */
            paymentMethod: string;
            projectName: string;
            /** @description One or more of: smart-contract, website, discord-bot, nft-collection, token-launch, dapp, marketing, design, other */
            services: ("smart-contract" | "website" | "discord-bot" | "nft-collection" | "token-launch" | "dapp" | "marketing" | "design" | "other")[];
            timeline?: string | null;
        };
        ProjectSubmissionResponse: {
            /** @example 24 hours */
            estimatedReviewTime: string;
            projectId: string;
            /** @enum {string} */
            status: "pending_review" | "needs_info" | "approved" | "in_progress" | "completed" | "rejected" | "cancelled";
            /** @enum {boolean} */
            success: true;
        };
        ProjectWorkflowStatus: {
            assignedTo: string | null;
            estimatedCompletion: string | null;
            progress: number;
            projectId: string;
            reminders: number;
            /** @enum {string} */
            status: "pending_review" | "needs_info" | "approved" | "in_progress" | "completed" | "rejected" | "cancelled";
            statusReason: string | null;
            totalCostCents: string | null;
            updates: {
                createdAt: string;
                message: string;
                progress: number | null;
            }[];
        };
        PublicPurchaseStatus: {
            roundId: string | null;
            signature: string;
            /** @enum {string} */
            status: "pending" | "accepted" | "late" | "rejected";
            transactionSignature: string;
        };
        PurchaseStatus: {
            amountBaseUnits: string | null;
            amountPaid: number | null;
            blockTime: string | null;
            currency: string | null;
            kind: string;
            nftsBurned?: string[];
            reason: string | null;
            refundOwedBaseUnits: string;
            requestedTickets: number | null;
            roundId: string | null;
            signature: string;
            /** @enum {string} */
            status: "pending" | "accepted" | "late" | "rejected";
            success: boolean;
            ticketNumbers: number[];
            ticketsIssued: number[];
            totalTickets: number;
            transactionSignature: string;
            transactionVerified: boolean;
            walletAddress: string;
        };
        PurchaseTicketsResponse: {
            amountBaseUnits: string | null;
            amountPaid: number | null;
            nftsBurned?: string[];
            refundOwedBaseUnits: string;
            roundId: string | null;
            /** @enum {string} */
            status: "pending" | "accepted" | "late" | "rejected";
            success: boolean;
            ticketsIssued: number[];
            totalTickets: number;
            transactionSignature: string;
            transactionVerified: boolean;
        };
        /** @description The distribution workflow's state (query `status`) */
        RevenueDistributionState: {
            approvals: {
                at: string;
                wallet: string;
            }[];
            approvalsRequired: number;
            cancelReason: string | null;
            claimDeadline: string | null;
            closeRequested: boolean;
            /** @enum {string} */
            currency: "SOL" | "USDC";
            distributionAmountBaseUnits: string;
            dustBaseUnits: string | null;
            fundingSignature: string | null;
            month: string;
            passCount: number | null;
            perPassAmountBaseUnits: string | null;
            snapshot: {
                /** @description Pass mints resolved so far */
                done: number;
                holders: number;
                slot: number | null;
                /** @description Pass mints listed when the snapshot started */
                total: number;
            };
            status: string;
            totalRevenueBaseUnits: string;
            unclaimedBaseUnits: string | null;
        };
        RoundReconciliation: {
            balanced: boolean;
            roundId: string;
            signatures: {
                chainPaidBaseUnits: {
                    SOL: string;
                    USDC: string;
                };
                currency: string | null;
                kind: string;
                reason: string | null;
                refundOwedBaseUnits: string;
                refundPayout: {
                    amountBaseUnits: string;
                    signature: string | null;
                    status: string;
                } | null;
                signature: string;
                status: string;
                tickets: number;
                ticketValueBaseUnits: {
                    SOL: string;
                    USDC: string;
                };
                wallet: string;
            }[];
            totals: {
                balanced: boolean;
                currency: string;
                differenceBaseUnits: string;
                receivedBaseUnits: string;
                refundsOwedBaseUnits: string;
                refundsPaidBaseUnits: string;
                ticketValueBaseUnits: string;
                unclaimedBaseUnits: string;
            }[];
            treasuryHistory: {
                maxSignatures: number;
                reachedSeconds: number | null;
                signaturesScanned: number;
                truncated: boolean;
            };
            unclaimed: {
                paidBaseUnits: {
                    SOL: string;
                    USDC: string;
                };
                signature: string;
            }[];
        };
        TicketSales: {
            /** @enum {string} */
            bucket: "hour" | "day";
            points: {
                /** @description Start of the UTC hour or day */
                at: string;
                burned: number;
                lamports: string;
                tickets: number;
                usdcBaseUnits: string;
            }[];
            roundId: string | null;
            since: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
