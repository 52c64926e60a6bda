module gopod

go 1.19
