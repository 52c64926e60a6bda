module grpcpod

go 1.19
