package dev.stagegate.routing;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC service without protoc: {@value #SERVICE}/Who, a unary call whose request and answer are plain strings;
 * each server answers with its revision's name. {@link #main} runs one server per {@code revision=address:port}
 * argument (started inside the test's network namespace, where the gateway routes to) until its stdin closes.
 */
public final class GrpcEcho {
  public static final String SERVICE = "stagegate.Echo";
  static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Who"))
      .setRequestMarshaller(new Utf8())
      .setResponseMarshaller(new Utf8())
      .build();

  private GrpcEcho() {}

  public static void main(String[] args) throws Exception {
    List<Server> servers = new ArrayList<>();
    for (String arg : args) {
      String revision = arg.substring(0, arg.indexOf('='));
      String hostPort = arg.substring(arg.indexOf('=') + 1);
      int colon = hostPort.lastIndexOf(':');
      InetSocketAddress at = new InetSocketAddress(hostPort.substring(0, colon),
          Integer.parseInt(hostPort.substring(colon + 1)));
      servers.add(NettyServerBuilder.forAddress(at).addService(service(revision)).build().start());
    }
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // serve until the test closes our stdin
    }
    for (Server server : servers) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  static ServerServiceDefinition service(String revision) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(WHO, ServerCalls.asyncUnaryCall((request, answer) -> {
          answer.onNext(revision);
          answer.onCompleted();
        }))
        .build();
  }

  /** The revision that answered, or "grpc-" and the status code when the call failed. */
  static String call(ManagedChannel channel) {
    try {
      return ClientCalls.blockingUnaryCall(channel, WHO,
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "who");
    } catch (StatusRuntimeException e) {
      return "grpc-" + e.getStatus().getCode();
    }
  }

  static boolean failed(String answer) {
    return answer.startsWith("grpc-") && !answer.equals("grpc-" + Status.Code.OK);
  }

  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
