package dev.castle.plan;

import static dev.castle.plan.Schemas.integer;
import static dev.castle.plan.Schemas.object;
import static dev.castle.plan.Schemas.oneOf;

import dev.castle.model.Secrets;
import dev.castle.model.SystemModel;

/**
 * The values of an embedded component's generated credentials ({@code credentials.*}), read by the
 * library's {@code _credentials.tpl}: how the Secret is made once in the cluster, the password
 * length, and the Job that makes it (its image needs sh and curl).
 */
final class CredentialsValues {
    static final int JOB_BACKOFF_LIMIT = 4;
    static final int JOB_DEADLINE_SECONDS = 300;

    private CredentialsValues() {
    }

    static void parameters(ChartValues v, SystemModel system) {
        Secrets secrets = system.secrets();
        boolean networkPolicies = system.network().policies();
        v.param("credentials.generator", secrets.generator().name(), "How the Secret is made once in the cluster, never in a file: job (a hook Job "
                        + "creates it when absent) or externalSecrets (the External Secrets Operator's Password generator, once)",
                        oneOf("job", "externalSecrets"))
                .param("credentials.length", secrets.passwordLength(), "Length of each generated password (letters and digits)", integer(16, 128));
        ServiceValues.image(v, "credentials.job.image", system.helpers().credentialsJob(), "the credentials Job's image (needs sh and curl)");
        v.param("credentials.job.backoffLimit", JOB_BACKOFF_LIMIT, "Retries of the credentials Job", integer(0))
                .param("credentials.job.activeDeadlineSeconds", JOB_DEADLINE_SECONDS, "Seconds the credentials Job may run", integer(1))
                .param("credentials.job.resources", ServiceValues.smallResources(), "Requests and limits of the credentials Job", ServiceValues.resourcesSchema())
                .param("credentials.job.securityContext", ServiceValues.helperSecurityContext(), "Security context of the credentials Job's container", object())
                .param("credentials.job.networkPolicy", networkPolicies, "A NetworkPolicy that lets the Job's pod reach only DNS and the API "
                        + "server (ports 443 and 6443), as the release's default deny would otherwise not", Schemas.bool());
    }
}
