package dev.braid.gateway.routing;

import io.netty.channel.ChannelOption;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Small requests and answers (a prediction is a few kilobytes) go out at once on both legs, client
 * to gateway and gateway to service: with Nagle's algorithm on, a request written as headers and
 * then body waits for the peer's delayed ACK, about 40 ms, which the serving benchmark measured.
 */
@Configuration(proxyBeanMethods = false)
class TcpNoDelay {

    @Bean
    HttpClientCustomizer noDelayClient() {
        return client -> client.option(ChannelOption.TCP_NODELAY, true);
    }

    @Bean
    NettyServerCustomizer noDelayServer() {
        return server -> server.childOption(ChannelOption.TCP_NODELAY, true);
    }
}
