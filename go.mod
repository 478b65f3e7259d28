module github.com/rnullbench/rnullbench

go 1.26
