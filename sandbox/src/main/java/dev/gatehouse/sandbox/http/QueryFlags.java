package dev.gatehouse.sandbox.http;

import java.util.List;

import io.vertx.core.http.HttpServerRequest;

/**
 * Boolean query parameters read as the apiserver's parameter codec reads them ({@code Convert_Slice_string_To_bool}
 * in apimachinery): absent is false; otherwise only the first value counts, and it is false when it is {@code 0} or
 * {@code false} in any letter case, true for anything else, the empty string and {@code yes} included. Never an
 * error: {@code ?tty=yes} asks for a terminal.
 */
final class QueryFlags {
    private QueryFlags() {
    }

    /** The flag's value in the request's query. */
    static boolean flag(HttpServerRequest request, String name) {
        List<String> values = request.params().getAll(name);
        return !values.isEmpty() && isTrue(values.get(0));
    }

    /** One value: {@code null} (absent), {@code 0} and {@code false} (any case) are false, the rest true. */
    static boolean isTrue(String value) {
        return value != null && !value.equals("0") && !value.equalsIgnoreCase("false");
    }
}
