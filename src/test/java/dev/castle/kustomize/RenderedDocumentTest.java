package dev.castle.kustomize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Helm's output split into documents: kind, name and annotations read from the head alone give what
 * the whole document gives, in every form of YAML a template may write; the whole form is the
 * document parsed, whenever it is asked for.
 */
class RenderedDocumentTest {
    private static final String OUTPUT = """
            ---
            # Source: shop/charts/cart/templates/resources.yaml
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: shop-cart
              # a comment inside the head
              annotations:
                helm.sh/hook: "pre-install"
                note: |
                  two lines,
                  of text
            spec:
              replicas: 2
              template:
                metadata:
                  name: not-the-name
            ---
            # Source: shop/charts/cart/templates/resources.yaml
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "shop-cart"}}
            ---
            # Source: shop/templates/networkpolicies.yaml
            "kind": 'NetworkPolicy'
            apiVersion: networking.k8s.io/v1
            metadata: {name: "shop-default-deny"}
            ---
            # Source: shop/templates/alias.yaml
            apiVersion: v1
            data:
              name: &name shop-aliased
            kind: ConfigMap
            metadata:
              name: *name
            ---
            # Source: shop/templates/list.yaml
            - not a mapping
            ---
            # Source: shop/templates/configmap.yaml
            apiVersion: v1
            data:
              config.yaml: |
                kind: Secret
                metadata:
                  name: inner
            kind: ConfigMap
            metadata:
              name: >-
                shop-config
            """;

    @Test
    void theHeadGivesWhatTheWholeDocumentGives() {
        List<RenderedDocument> documents = RenderedDocument.split(OUTPUT, false);
        List<RenderedDocument> whole = RenderedDocument.split(OUTPUT, true);
        assertEquals(5, documents.size());
        assertEquals(List.of("Deployment/shop-cart", "Service/shop-cart", "NetworkPolicy/shop-default-deny", "ConfigMap/shop-aliased",
                        "ConfigMap/shop-config"),
                documents.stream().map(RenderedDocument::key).toList());
        assertEquals(whole.stream().map(RenderedDocument::key).toList(), documents.stream().map(RenderedDocument::key).toList());
        assertEquals(Map.of("helm.sh/hook", "pre-install", "note", "two lines,\nof text\n"), documents.get(0).annotations());
        assertEquals("apps/v1", documents.get(0).apiVersion());
        assertEquals("cart", documents.get(0).chart("shop"));
        for (int i = 0; i < documents.size(); i++) {
            assertEquals(whole.get(i).text(), documents.get(i).text());
            assertEquals(new Yaml().load(documents.get(i).text()), documents.get(i).object());
            assertEquals(whole.get(i).object(), documents.get(i).object());
        }
    }

    @Test
    void aDuplicateKeyAnywhereIsRefusedWhenEveryDocumentIsParsedWhole() {
        String output = """
                ---
                # Source: shop/charts/cart/templates/resources.yaml
                apiVersion: v1
                kind: Service
                metadata:
                  name: shop-cart
                spec:
                  type: ClusterIP
                  type: NodePort
                """;
        assertEquals(1, RenderedDocument.split(output, false).size());
        HelmEngine.RenderFailure failure = assertThrows(HelmEngine.RenderFailure.class, () -> RenderedDocument.split(output, true));
        assertTrue(failure.getMessage().contains("shop/charts/cart/templates/resources.yaml is not valid YAML: found duplicate key type, line 7"),
                failure.getMessage());
    }
}
